#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <sstream>

#include "oci/container_id.hpp"
#include "oci/parse.hpp"
#include "runtime/base/clock.hpp"
#include "runtime/base/file.hpp"
#include "runtime/base/log.hpp"
#include "runtime/base/scope_guard.hpp"
#include "runtime/cgroup/cgroup.hpp"
#include "runtime/cgroup/device_rules.hpp"
#include "runtime/cgroup/hierarchies.hpp"
#include "runtime/cgroup/stats.hpp"
#include "runtime/container/container.hpp"
#include "runtime/container/preflight.hpp"
#include "runtime/container/store.hpp"
#include "hooks/run_hook.hpp"
#include "runtime/process/process_handle.hpp"
#include "runtime/seccomp/hand_off.hpp"
#include "runtime/policy/exec_policy.hpp"
#include "runtime/supervisor/launch.hpp"
#include "runtime/supervisor/memory_rlimits.hpp"
#include "runtime/terminal/console_socket.hpp"

namespace vigil {
namespace {

Result<std::string> absolute(const std::string& path) {
  char buf[PATH_MAX];
  if (!::realpath(path.empty() ? "." : path.c_str(), buf)) return Error::from_errno("bundle " + path);
  return std::string(buf);
}

// The user name of our uid from /etc/passwd (read directly: vigil is static, without NSS).
std::string owner_name() {
  std::string uid = std::to_string(::geteuid());
  if (auto passwd = read_file("/etc/passwd")) {
    std::istringstream in(*passwd);
    std::string line;
    while (std::getline(in, line)) {
      auto a = line.find(':'), b = line.find(':', a + 1), c = line.find(':', b + 1);
      if (c != std::string::npos && line.compare(b + 1, c - b - 1, uid) == 0) return line.substr(0, a);
    }
  }
  return uid;
}

}  // namespace

Result<CreatedInit> create_container(const CreateOptions& o) {
  // Everything is checked before anything on the host changes.
  TRY(oci::validate_container_id(o.id));
  std::string bundle = TRY(absolute(o.bundle));
  std::vector<std::string> warnings;
  oci::Spec spec = TRY(oci::load_spec(bundle, &warnings));
  for (const auto& w : warnings) log_warn(w);
  std::string rootfs = spec.root.path[0] == '/' ? spec.root.path : bundle + "/" + spec.root.path;
  TRY(preflight(spec, rootfs, o.console_socket, !o.foreground));
  std::optional<seccomp::Profile> profile;
  if (seccomp::profile_requested(spec.linux.seccomp)) profile = TRY(seccomp::parse_profile(spec.linux.seccomp));
  auto policy = TRY(policy::effective_policy(o.policy, spec.annotations));
  // The kernel gives a process one seccomp listener: a supervised container's is the supervisor's.
  if (policy.supervise() && profile && profile->has_notify())
    return Error(EINVAL, "config.json: linux.seccomp.listenerPath cannot be used in a supervised container: "
                         "its seccomp listener is the supervisor's (run.vigil.supervise)");
  rootfs = TRY(absolute(rootfs));
  auto resources = TRY_CTX(cgroup::parse_resources(spec.linux.resources, "linux.resources"), "config.json");
  resources.devices = cgroup::effective_device_rules(resources.devices, spec.linux.devices);
  auto cg = TRY(cgroup::Cgroup::plan(TRY(host_hierarchies()), spec.linux.cgroups_path, oci::id_file_name(o.id),
                                     o.systemd_cgroup));

  auto dir = TRY(ContainerDir::create(o.root, o.id));
  ScopeGuard remove_dir([&] { (void)dir.remove(); });
  // Resources are in place before any process of the container exists, as in runc. Under
  // systemd the scope needs a process: stage 1's, which waits for us meanwhile.
  TRY(cg.create());
  ScopeGuard remove_cgroup([&] { (void)cg.destroy(); });
  std::vector<std::string> skipped;
  if (!cg.systemd()) TRY(cg.apply(resources, &skipped));

  if (::mkfifo(dir.fifo_path().c_str(), 0600) < 0) return Error::from_errno("mkfifo " + dir.fifo_path());
  // Read-write, so the init's read blocks until `start` writes instead of seeing EOF.
  auto fifo = TRY(open_fd(dir.fifo_path(), O_RDWR));
  if (::mkfifo(dir.exec_done_path().c_str(), 0600) < 0) return Error::from_errno("mkfifo " + dir.exec_done_path());
  auto exec_done = TRY(open_fd(dir.exec_done_path(), O_RDWR));

  InitRequest req;
  req.id = o.id;
  req.bundle = bundle;
  req.rootfs = rootfs;
  req.no_pivot = o.no_pivot;
  req.new_keyring = !o.no_new_keyring;
  req.preserve_fds = o.preserve_fds;
  req.cgroups = cg.binds();
  if (profile) req.seccomp = TRY(compile_seccomp(*profile, spec, o.root));
  const auto exec_policy = policy::exec_policy(policy);
  req.spec = spec.raw;
  auto paths = TRY(paths_request(policy));
  if (policy.supervise()) TRY(supervise_request(req, spec, policy, exec_policy, paths.judged, o.root));
  req.landlock = std::move(paths.landlock);
  TRY(write_file_atomic(dir.policy_path(), policy.doc.dump(2) + "\n", 0600));
  oci::ContainerState state;
  state.oci_version = spec.oci_version;
  state.id = o.id;
  state.bundle = bundle;
  state.rootfs = rootfs;
  state.created = rfc3339_now();
  state.owner = owner_name();
  state.annotations = spec.annotations;
  state.cgroup = cg.to_json();
  state.hooks = spec.raw.value("hooks", nlohmann::json());

  SpawnHandlers on;
  on.stage1 = [&](pid_t stage1) -> Status {
    if (cg.systemd()) TRY(cg.start_scope(stage1, resources, &skipped));
    else TRY(cg.join(stage1));
    for (const auto& w : skipped) log_warn(w);
    return {};
  };
  on.hooks = [&](pid_t pid) -> Result<std::string> {
    oci::ContainerState s = state;
    s.pid = pid;
    std::string json = oci::public_state(s, "created").dump();
    for (const auto& [name, list] : {std::pair{"prestart", &spec.hooks.prestart}, {"createRuntime", &spec.hooks.create_runtime}}) {
      std::string kind = name;  // clang 14 cannot capture a structured binding
      TRY(run_hooks(kind, *list, json, [&](std::string_view l) { log_line(LogLevel::info, kind + " hook: " + std::string(l)); }));
    }
    return json;
  };
  on.log = [](int, const std::string& text) { log_debug(text); };
  req.log_json = log_config().json;
  auto log_fd = TRY(open_log_file());
  // Started now, it gets ready while the init is made.
  std::optional<supervisor::Supervisor> sup;
  if (policy.supervise())
    sup = TRY(supervisor::Supervisor::start({o.id, dir.path(), seccomp_cache_dir(o.root), log_fd.get(), exec_policy,
                                             supervised_memory(policy, spec), supervisor::supervisor_sets_data_limit(spec),
                                             policy::paths_policy(policy), paths.judged, cg}));
  ConsoleChannel console;
  if (spec.process->terminal) console = TRY(open_console_channel(o.console_socket));
  // A cgroup we did not make may have counted OOM kills before; ours starts at zero.
  const cgroup::Dir* memory = cg.find("memory");
  uint64_t ooms_before = memory && memory->created.empty() ? cgroup::oom_kills(cg).value_or(0) : 0;
  auto spawned = spawn_init(spec, req, {fifo.get(), exec_done.get(), log_fd.get(), console.theirs.get()}, on);
  if (!spawned) {
    // The kernel killed the setup with SIGKILL: the socket only says ECONNRESET or EOF.
    if (cgroup::oom_kills(cg).value_or(0) > ooms_before)
      return Error::msg("container init was OOM-killed during setup (memory limit too low?)");
    return std::move(spawned).error();
  }
  auto init = std::move(*spawned);
  fifo.reset();
  exec_done.reset();
  auto terminal = console.take_master();
  if (!terminal) {
    (void)send_signal(init.pidfd.get(), SIGKILL);
    return std::move(terminal).error();
  }
  state.pid = init.pid;
  state.start_time = init.start_time;

  Status saved;
  if (sup) {
    auto launched = sup->hand_over(init.pid, init.seccomp_listener.get());
    if (launched) {
      state.supervisor_pid = launched->pid;
      state.supervisor_start = launched->start_time;
      log_debug("container " + o.id + " is supervised by pid " + std::to_string(launched->pid));
    }
    saved = launched ? Status() : Status(std::move(launched).error());
    // Only the supervisor may hold the listener: with it gone, notified syscalls fail.
    init.seccomp_listener.reset();
  }
  if (saved) saved = dir.save(state);
  // While the state was saved, the supervisor seized the init.
  if (saved && sup) saved = sup->ready();
  if (saved && init.seccomp_listener && !policy.supervise()) {
    auto ps = seccomp::process_state(init.pid, profile->listener_metadata, oci::public_state(state, "creating"));
    saved = seccomp::hand_off_listener(profile->listener_path, init.seccomp_listener.get(), ps);
  }
  if (saved && !o.pid_file.empty()) saved = write_file_atomic(o.pid_file, std::to_string(init.pid), 0644);
  if (!saved) {
    (void)send_signal(init.pidfd.get(), SIGKILL);
    return std::move(saved).error();
  }
  remove_dir.dismiss();
  remove_cgroup.dismiss();
  log_debug("created container " + o.id + " with init pid " + std::to_string(init.pid));
  return CreatedInit{std::move(init), std::move(*terminal)};
}

}  // namespace vigil
