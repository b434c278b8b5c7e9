#include "runtime/container/features.hpp"

#include <sys/capability.h>

#include "oci/state.hpp"
#include "runtime/base/file.hpp"
#include "runtime/cgroup/hierarchies.hpp"
#include "runtime/landlock/landlock.hpp"
#include "runtime/policy/kind.hpp"
#include "runtime/policy/sources.hpp"
#include "runtime/seccomp/features.hpp"

namespace vigil {
namespace {

std::vector<std::string> capabilities() {
  std::vector<std::string> out;
  for (cap_value_t c = 0; c < cap_value_t(cap_max_bits()); c++) {
    char* name = cap_to_name(c);
    std::string n = name;
    cap_free(name);
    // libcap names them "cap_kill"; config.json and features.md say "CAP_KILL".
    for (auto& ch : n) ch = char(toupper(static_cast<unsigned char>(ch)));
    if (n.rfind("CAP_", 0) == 0) out.push_back(n);
  }
  return out;
}

bool lsm(const std::string& name) {
  return ("," + read_file("/sys/kernel/security/lsm").value_or("") + ",").find("," + name + ",") != std::string::npos;
}

nlohmann::json annotations() {
  nlohmann::json a = {{"run.vigil.version", VIGIL_VERSION}, {"run.vigil.policy", "a profile name"}};
  // What path rules may leave to the kernel here (docs/POLICY.md): the Landlock ABI, 0 for none.
  a["run.vigil.host.landlock_abi"] = std::to_string(landlock::abi_version());
  // The keys an annotation may set, each with its values ("true|false", "allow|warn|deny|kill").
  for (const auto& k : policy::keys())
    if (auto values = k.kind.values(); !values.empty())
      a[std::string(policy::kAnnotationPrefix) + k.dotted()] = std::string(values);
  return a;
}

}  // namespace

nlohmann::json runtime_features() {
  bool v1 = false, v2 = false;
  for (const auto& h : host_hierarchies().value_or({})) (h.v2 ? v2 : v1) = true;
  return {
      {"ociVersionMin", "1.0.0"},
      {"ociVersionMax", oci::kSpecVersion},
      {"hooks", {"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"}},
      {"mountOptions",
       {"async",      "atime",   "bind",         "defaults",    "dev",          "diratime",    "dirsync",
        "exec",       "lazytime", "loud",        "mand",        "noatime",      "nodev",       "nodiratime",
        "noexec",     "nolazytime", "nomand",    "norelatime",  "nostrictatime", "nosuid",     "nosymfollow",
        "private",    "rbind",   "relatime",     "remount",     "ro",           "rprivate",    "rshared",
        "rslave",     "runbindable", "rw",       "shared",      "silent",       "slave",       "strictatime",
        "suid",       "symfollow", "sync",       "unbindable",  "rro",          "rrw",         "rnosuid",
        "rsuid",      "rnodev",  "rdev",         "rnoexec",     "rexec",        "rnoatime",    "ratime",
        "rrelatime",  "rnorelatime", "rstrictatime", "rnostrictatime", "rnodiratime", "rdiratime",
        "rnosymfollow", "rsymfollow"}},
      {"linux",
       {{"namespaces", {"cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"}},
        {"capabilities", capabilities()},
        {"cgroup", {{"v1", v1}, {"v2", v2}, {"systemd", true}, {"systemdUser", false}, {"rdma", true}}},
        {"seccomp",
         {{"enabled", true},
          {"actions", seccomp::known_actions()},
          {"operators", seccomp::known_operators()},
          {"archs", seccomp::supported_archs()},
          {"knownFlags", seccomp::known_flags()},
          {"supportedFlags", seccomp::supported_flags()}}},
        {"apparmor", {{"enabled", lsm("apparmor")}}},
        {"selinux", {{"enabled", lsm("selinux")}}},
        {"intelRdt", {{"enabled", false}}},
        {"mountExtensions", {{"idmap", {{"enabled", false}}}}}}},
      // vigil's version, the host's Landlock ABI, and each run.vigil.* annotation a container may
      // carry (docs/POLICY.md).
      {"annotations", annotations()},
  };
}

}  // namespace vigil
