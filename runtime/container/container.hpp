// The container lifecycle of runtime-spec runtime.md, one function per operation.
// cmd/ parses flags and calls exactly one of these.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/base/error.hpp"
#include "runtime/cgroup/resources.hpp"
#include "runtime/init/spawn.hpp"
#include "runtime/policy/exec_policy.hpp"
#include "runtime/policy/memory_policy.hpp"
#include "runtime/policy/paths_policy.hpp"
#include "runtime/policy/sources.hpp"
#include "runtime/policy/suggest.hpp"
#include "runtime/seccomp/profile.hpp"
#include "runtime/seccomp/program.hpp"

namespace vigil {

class ContainerDir;

struct CreateOptions {
  std::string root;  // state root, --root
  std::string id;
  std::string bundle;  // "" → current directory
  std::string pid_file;
  std::string console_socket;
  bool foreground = false;  // run without -d: a terminal is vigil's to proxy, not a console socket's
  policy::Sources policy;   // where the container's vigil policy comes from
  bool no_pivot = false;
  bool no_new_keyring = false;
  bool systemd_cgroup = false;  // --systemd-cgroup
  int preserve_fds = 0;
};

struct CreatedInit {
  SpawnedInit init;
  unique_fd terminal;  // foreground with process.terminal: the pty master, to proxy
};
// Leaves the init blocked before exec until start_container(); returns it (our child).
Result<CreatedInit> create_container(const CreateOptions& o);
Status start_container(const std::string& root, const std::string& id);
// run: create + start, then (unless detached) wait, forwarding signals, and delete.
// Returns the container's exit code (128+N when killed by signal N).
Result<int> run_container(const CreateOptions& o, bool detach);
Status kill_container(const std::string& root, const std::string& id, int sig, bool all);
Status delete_container(const std::string& root, const std::string& id, bool force);
struct ExecOptions {
  std::string root, id;
  // The process: a --process JSON file, or the container's own process with these changes.
  std::string process_file;
  std::vector<std::string> args;
  std::string cwd;
  std::vector<std::string> env;  // K=V, added to (or replacing in) the container's
  std::optional<uint32_t> uid, gid;
  std::vector<uint32_t> additional_gids;
  std::vector<std::string> caps;  // added to every capability set
  bool no_new_privs = false;
  bool detach = false;
  bool tty = false;  // a terminal for the process (also when its --process file asks for one)
  std::string console_socket;
  std::string apparmor, process_label;  // --apparmor, --process-label
  std::vector<std::string> cgroups;  // --cgroup: sub-cgroups to run in (Cgroup::sub_cgroup)
  std::string pid_file;
  int preserve_fds = 0;
};
// exec: a new process in every namespace and the cgroup of a running container, set up as
// its own process is. Returns its exit code, or 0 when detached.
Result<int> exec_container(const ExecOptions& o);

// pause = true freezes the container (running → paused); false thaws it.
Status pause_container(const std::string& root, const std::string& id, bool pause);
Result<nlohmann::json> container_state(const std::string& root, const std::string& id);
Result<std::vector<pid_t>> container_pids(const std::string& root, const std::string& id);
// The policy the container was created with (vigil policy show).
Result<policy::Policy> container_policy(const std::string& root, const std::string& id);

using EventSink = std::function<void(const nlohmann::json& event)>;
// events: {"type":"stats"|"oom"|"exit"|"audit","id":ID,"data":…}. With stats_once, one stats
// event; else stats every interval, an oom event per OOM kill, each of the supervisor's
// decisions (its audit log, from the first), and an exit event when the init is gone.
Status container_events(const std::string& root, const std::string& id, bool stats_once, int interval_ms,
                        const EventSink& emit);
// An event as one line a person reads (event_text.cpp): a decision's time, pid, action,
// syscall, subject and rule; a summary of stats; oom and exit said in words, at `now`. What
// the container controls (a path, a name) is quoted where it has spaces and its other bytes
// escaped, so no line can pass for another, nor reach the terminal as a control sequence.
std::string event_text(const nlohmann::json& event, const std::string& now);
// update: writes `r` into the container's cgroup (device rules are not changed, as with runc).
Status update_container(const std::string& root, const std::string& id, cgroup::Resources r);
std::vector<nlohmann::json> list_containers(const std::string& root);

// Where compiled seccomp filters are cached in the state root.
std::string seccomp_cache_dir(const std::string& root);
// linux.seccomp of `spec` as the init loads it, through the cache in the state root.
Result<seccomp::Program> compile_seccomp(const seccomp::Profile& profile, const oci::Spec& spec, const std::string& root);
// How the paths section is enforced: its Landlock ruleset (rules and scopes) for the init
// request, and the accesses the supervisor judges. An error when a rule needs what no
// mechanism here holds, or what this kernel's Landlock ABI lacks.
struct PathsRequest {
  landlock::Ruleset landlock;
  policy::AccessSet judged = 0;
};
Result<PathsRequest> paths_request(const policy::Policy& policy);
// The same for a kernel of Landlock ABI `abi`, and a policy that does or does not supervise.
Result<PathsRequest> paths_request(const policy::PathsPolicy& paths, int abi, bool supervised);
// Per access, what enforces it there and what it costs, or why create refuses it: lines
// for `vigil policy explain`.
std::vector<std::string> explain_paths(const policy::PathsPolicy& paths, int abi, bool supervised);
// The same for the exec and memory sections (explain.cpp): each rule and check, what holds
// it and what it costs.
std::vector<std::string> explain_exec(const policy::Policy& p);
std::vector<std::string> explain_memory(const policy::Policy& p);
// Each decision other than allow in container `id`'s audit log: what refused it, and the
// change to the policy that would have let it through.
Result<std::vector<std::string>> explain_refusals(const std::string& root, const std::string& id);
// vigil policy suggest (suggest.cpp): the audit log of container `id` and its rootfs; and
// the options that look into a rootfs (the directory of the container, or --root-dir).
struct SuggestInput {
  std::string log;
  std::string rootfs;
};
Result<SuggestInput> suggest_input(const std::string& root, const std::string& id);
// A container that learned keeps its audit log past delete (learned_logs.cpp): delete
// calls keep_learned_log before it removes the directory; learned_log reads it back.
void keep_learned_log(const ContainerDir& dir, const std::string& root);
Result<std::string> learned_log(const std::string& root, const std::string& id);
Status with_rootfs(policy::SuggestOptions& o, const std::string& rootfs);
// The policy's memory section for `spec`'s container, container_max "cgroup" resolved.
policy::MemoryPolicy supervised_memory(const policy::Policy& policy, const oci::Spec& spec);
// A supervised process's share of its init request (create's and exec's alike): the memory
// limits the kernel holds, as rlimits in req.spec, and the supervisor's filter.
Status supervise_request(InitRequest& req, const oci::Spec& spec, const policy::Policy& policy,
                         const policy::ExecPolicy& exec, policy::AccessSet judged_paths, const std::string& root);

}  // namespace vigil
