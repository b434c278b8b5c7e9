// The typed OCI runtime-spec model (config.json, runtime-spec 1.2, Linux).
// oci::parse_spec() fills it and validates it; runtime/ only ever sees a validated Spec.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

// -std=gnu++20 predefines `linux` as 1, which would turn Spec::linux into "Spec::1".
#undef linux

namespace vigil::oci {

struct User {
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::optional<uint32_t> umask;
  std::vector<uint32_t> additional_gids;
};

struct Rlimit {
  std::string type;  // "RLIMIT_NOFILE"
  int resource = 0;  // RLIMIT_NOFILE
  uint64_t soft = 0;
  uint64_t hard = 0;
};

// Capability names as written ("CAP_KILL"), unknown names already dropped with a warning.
struct Capabilities {
  std::vector<std::string> bounding, effective, inheritable, permitted, ambient;
};

struct ConsoleSize {
  uint32_t height = 0;
  uint32_t width = 0;
};

struct Process {
  bool terminal = false;
  std::optional<ConsoleSize> console_size;
  User user;
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::string cwd;  // absolute
  std::optional<Capabilities> capabilities;
  std::vector<Rlimit> rlimits;
  bool no_new_privileges = false;
  std::string apparmor_profile;
  std::optional<int> oom_score_adj;
  std::string selinux_label;
};

struct Root {
  std::string path;  // as written: absolute, or relative to the bundle
  bool readonly = false;
};

struct Mount {
  std::string destination;  // absolute (a relative one is made absolute, as runc does)
  std::string type;         // may be empty for bind mounts
  std::string source;
  std::vector<std::string> options;
};

struct Hook {
  std::string path;
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::optional<int> timeout;  // seconds, > 0
};

struct Hooks {
  std::vector<Hook> prestart, create_runtime, create_container, start_container, poststart, poststop;
};

// Each hook list with its config.json name, in lifecycle order.
inline constexpr std::pair<const char*, std::vector<Hook> Hooks::*> kHookPoints[] = {
    {"prestart", &Hooks::prestart},
    {"createRuntime", &Hooks::create_runtime},
    {"createContainer", &Hooks::create_container},
    {"startContainer", &Hooks::start_container},
    {"poststart", &Hooks::poststart},
    {"poststop", &Hooks::poststop},
};

enum class NamespaceType { pid, network, mount, ipc, uts, user, cgroup, time };

struct Namespace {
  NamespaceType type;
  std::string path;  // empty: create a new one; else join it (absolute)
};

struct IdMapping {
  uint32_t container_id = 0;
  uint32_t host_id = 0;
  uint32_t size = 0;  // > 0
};

struct TimeOffset {
  int64_t secs = 0;
  uint32_t nanosecs = 0;
};

struct Device {
  std::string path;  // absolute
  char type = 'c';   // c, b, u (unbuffered char), p (fifo)
  int64_t major = 0;
  int64_t minor = 0;
  std::optional<uint32_t> file_mode;
  std::optional<uint32_t> uid;
  std::optional<uint32_t> gid;
};

struct Personality {
  std::string domain;  // "LINUX" or "LINUX32"
  std::vector<std::string> flags;
};

struct Linux {
  std::vector<Namespace> namespaces;
  std::vector<IdMapping> uid_mappings, gid_mappings;
  std::map<std::string, TimeOffset> time_offsets;  // "monotonic", "boottime"
  std::vector<Device> devices;
  std::string cgroups_path;
  nlohmann::json resources;  // typed by the cgroup layer; null when absent
  std::string rootfs_propagation;  // "", shared, slave, private, unbindable (r-prefixed too)
  nlohmann::json seccomp;          // typed by the seccomp layer; null when absent
  std::map<std::string, std::string> sysctl;
  std::vector<std::string> masked_paths, readonly_paths;
  std::string mount_label;
  std::optional<Personality> personality;

  const Namespace* find(NamespaceType t) const {
    for (const auto& ns : namespaces)
      if (ns.type == t) return &ns;
    return nullptr;
  }
  bool has(NamespaceType t) const { return find(t) != nullptr; }
};

struct Spec {
  std::string oci_version;
  std::optional<Process> process;
  Root root;
  std::string hostname;
  std::string domainname;
  std::vector<Mount> mounts;
  Hooks hooks;
  std::map<std::string, std::string> annotations;
  Linux linux;
  nlohmann::json raw;  // the document as read, for state and hooks
};

const char* namespace_name(NamespaceType t);          // "pid", "network", ...
const char* namespace_proc_name(NamespaceType t);     // "pid", "net", ... (/proc/PID/ns/NAME)
int namespace_clone_flag(NamespaceType t);            // CLONE_NEWPID, ...
std::optional<NamespaceType> namespace_from_name(std::string_view name);  // "pid" → pid

// personality(2): the flag named `name` ("ADDR_NO_RANDOMIZE"), nullopt when unknown;
// and the whole argument for a validated Personality (PER_LINUX or PER_LINUX32 | flags).
std::optional<unsigned long> personality_flag(std::string_view name);
unsigned long personality_value(const Personality& p);

}  // namespace vigil::oci
