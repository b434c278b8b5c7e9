#include <fcntl.h>

#include <fstream>
#include <sstream>

#include "oci/parse.hpp"
#include "runtime/base/file.hpp"
#include "runtime/base/json_parse.hpp"
#include "runtime/base/log.hpp"
#include "runtime/container/container.hpp"
#include "runtime/container/handle.hpp"
#include "runtime/container/preflight.hpp"
#include "runtime/container/wait.hpp"
#include "runtime/process/process_handle.hpp"
#include "runtime/policy/exec_policy.hpp"
#include "runtime/supervisor/launch.hpp"
#include "runtime/terminal/console_socket.hpp"

namespace vigil {
namespace {

// The process to run: --process FILE as it is, or the container's own with the changes asked.
Result<nlohmann::json> exec_process_json(const ExecOptions& o, const nlohmann::json& config) {
  if (!o.process_file.empty()) {
    auto text = TRY(read_file(o.process_file));
    auto j = TRY(parse_json(text, "--process " + o.process_file));
    if (o.tty && j.is_object()) j["terminal"] = true;
    return j;
  }
  if (o.args.empty()) return Error(EINVAL, "exec needs the command to run (or --process FILE)");
  nlohmann::json p = config.value("process", nlohmann::json::object());
  p["args"] = o.args;
  p["terminal"] = o.tty;
  if (!o.cwd.empty()) p["cwd"] = o.cwd;
  auto& env = p["env"];
  if (!env.is_array()) env = nlohmann::json::array();
  for (const auto& kv : o.env) {
    auto key = kv.substr(0, kv.find('='));
    for (auto it = env.begin(); it != env.end();)
      it = it->is_string() && it->get<std::string>().rfind(key + "=", 0) == 0 ? env.erase(it) : it + 1;
    env.push_back(kv);
  }
  if (o.uid) p["user"]["uid"] = *o.uid;
  if (o.gid) p["user"]["gid"] = *o.gid;
  if (!o.additional_gids.empty()) p["user"]["additionalGids"] = o.additional_gids;
  for (const auto& cap : o.caps)
    for (const char* set : {"bounding", "effective", "permitted"}) p["capabilities"][set].push_back(cap);
  if (o.no_new_privs) p["noNewPrivileges"] = true;
  if (!o.apparmor.empty()) p["apparmorProfile"] = o.apparmor;
  if (!o.process_label.empty()) p["selinuxLabel"] = o.process_label;
  return p;
}

}  // namespace

Result<int> exec_container(const ExecOptions& o) {
  auto c = TRY(Container::open(o.root, o.id, false));
  std::string status = c.status();
  if (status != "running") return Error(EINVAL, "cannot exec in container " + o.id + ": it is " + status + ", not running");
  auto init = c.init();
  if (!init) return Error(ESRCH, "cannot exec in container " + o.id + ": container not running");
  // The container's config (its namespaces, seccomp profile, defaults), with this process.
  std::string config_path = c.state.bundle + "/config.json";
  auto raw = TRY(parse_json(TRY(read_file(config_path)), config_path));
  raw["process"] = TRY(exec_process_json(o, raw));
  oci::Spec spec = TRY(oci::parse_spec(raw.dump(), o.process_file.empty() ? "exec" : o.process_file));
  TRY(check_lsm_labels(spec));
  bool terminal = spec.process->terminal;
  TRY(check_terminal_options(terminal, o.detach, o.console_socket));

  InitRequest req;
  req.id = o.id;
  req.exec = true;
  req.new_keyring = false;
  req.preserve_fds = o.preserve_fds;
  req.spec = spec.raw;
  req.log_json = log_config().json;
  if (seccomp::profile_requested(spec.linux.seccomp))
    req.seccomp = TRY(compile_seccomp(TRY(seccomp::parse_profile(spec.linux.seccomp)), spec, o.root));
  // A supervised container's processes are all the supervisor's, this one too.
  bool supervised = c.state.supervisor_pid != 0;
  auto policy = TRY(container_policy(o.root, o.id));
  auto paths = TRY(paths_request(policy));
  if (supervised) TRY(supervise_request(req, spec, policy, policy::exec_policy(policy), paths.judged, o.root));
  req.landlock = std::move(paths.landlock);
  auto log_fd = TRY(open_log_file());
  SpawnHandlers on;
  auto cgroup = o.cgroups.empty() ? c.cgroup : TRY(c.cgroup.sub_cgroup(o.cgroups));
  on.stage1 = [&](pid_t stage1) { return cgroup.join(stage1); };
  on.hooks = [](pid_t) -> Result<std::string> { return Error(EPROTO, "exec has no hook point"); };
  on.log = [](int, const std::string& text) { log_debug(text); };

  sigset_t set = forwarded_signals(), old;
  if (!o.detach) ::sigprocmask(SIG_BLOCK, &set, &old);
  ConsoleChannel console;
  if (terminal) console = TRY(open_console_channel(o.console_socket));
  auto proc = spawn_init(spec, req, {init->get(), -1, log_fd.get(), console.theirs.get()}, on);
  if (!proc) return std::move(proc).error().context("exec in container " + o.id);
  if (supervised) {
    // Until the supervisor has it, the process waits in its execve for an answer.
    auto st = supervisor::hand_in(c.dir.path(), proc->pid, proc->seccomp_listener.get());
    if (!st) {
      (void)send_signal(proc->pidfd.get(), SIGKILL);
      return std::move(st).error().context("exec in container " + o.id);
    }
    proc->seccomp_listener.reset();
  }
  auto master = console.take_master();
  if (!master) {
    (void)send_signal(proc->pidfd.get(), SIGKILL);
    return std::move(master).error();
  }
  std::optional<TerminalProxy> tty;
  if (*master) tty.emplace(std::move(*master));
  if (!o.pid_file.empty()) TRY(write_file_atomic(o.pid_file, std::to_string(proc->pid), 0644));
  if (o.detach) return 0;
  auto code = wait_forwarding(proc->pidfd.get(), set, tty ? &*tty : nullptr);
  tty.reset();
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  return code;
}

}  // namespace vigil
