// The container side of create, as a checklist. Two processes run it:
//   stage 1 (the parent's child): joins and creates namespaces; pid and time namespaces
//            only apply to children, so it forks stage 2 (as a sibling, CLONE_PARENT) and exits;
//   stage 2 (the container's init): rootfs, identity, then waits for `start` and execs.
// Failures go to the parent as an error message; nothing is thrown across the process boundary.
#include "runtime/init/init_main.hpp"

#include <fcntl.h>
#include <grp.h>
#include <linux/keyctl.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <optional>

#include "oci/parse.hpp"
#include "hooks/run_hook.hpp"
#include "runtime/base/file.hpp"
#include "runtime/base/log.hpp"
#include "runtime/init/protocol.hpp"
#include "runtime/init/request.hpp"
#include "runtime/landlock/landlock.hpp"
#include "runtime/namespaces/namespaces.hpp"
#include "runtime/process/exec.hpp"
#include "runtime/process/identity.hpp"
#include "runtime/process/signals.hpp"
#include "runtime/rootfs/resolve.hpp"
#include "runtime/rootfs/rootfs.hpp"
#include "runtime/seccomp/load.hpp"
#include "runtime/terminal/console_socket.hpp"
#include "runtime/terminal/pty.hpp"

namespace vigil {
namespace {

struct Context {
  int sock = -1;  // owned: closed on exec, or with the process
  InitRequest req;
  oci::Spec spec;
  unique_fd exec_fifo;
  unique_fd container_init;  // exec: whose namespaces to join
  unique_fd exec_done;       // create: closed by our exec (close-on-exec), which `start` waits for
  unique_fd log;           // vigil's --log, or /dev/null: never the container's stdio
  unique_fd console_sock;  // process.terminal: where the pty master goes
  unique_fd terminal;      // process.terminal: the pty's slave, the program's stdio
  std::string state_json;  // for the container's own hooks, from the parent
  std::optional<ExecCall> program;
  bool profile_loaded = false;  // the OCI profile (or there is none)
};

// Our own fds must not sit where the container expects its preserved ones.
unique_fd move_above(unique_fd fd, int floor) {
  if (fd.get() >= floor) return fd;
  unique_fd moved(::fcntl(fd.get(), F_DUPFD_CLOEXEC, floor));
  return moved ? std::move(moved) : std::move(fd);
}

// From here on the process holds stdio, the preserved fds, the socket and the exec fifo:
// nothing else the caller of create had open, and none of ours where a preserved one goes.
Status isolate_fds(Context& c) {
  int floor = 3 + c.req.preserve_fds;
  c.exec_fifo = move_above(std::move(c.exec_fifo), floor);
  c.sock = move_above(unique_fd(c.sock), floor).release();
  c.log = move_above(std::move(c.log), floor);
  c.container_init = move_above(std::move(c.container_init), floor);
  c.exec_done = move_above(std::move(c.exec_done), floor);
  c.console_sock = move_above(std::move(c.console_sock), floor);
  log_configure({.file = "", .fd = c.log.get(), .json = c.req.log_json, .debug = false});
  return close_fds_from(floor, {c.sock, c.exec_fifo.get(), c.log.get(), c.container_init.get(), c.exec_done.get(),
                                c.console_sock.get()});
}

Result<Context> receive_request(int sock) {
  auto msg = TRY(recv_message(sock));
  if (msg.type != MsgType::request) return Error(EPROTO, "expected the init request");
  Context c;
  c.sock = sock;
  c.req = TRY(decode_request(msg.payload));
  c.spec = TRY(oci::parse_spec(c.req.spec.dump(), "config.json"));
  if (!c.spec.process) return Error(EINVAL, "config.json: process is required to create a container");
  if (msg.fds.size() != size_t(1 + c.req.has_exec_done + c.req.has_log + c.req.has_console))
    return Error(EPROTO, "init request: wrong fds");
  // The first fd is the exec fifo (create) or a pidfd of the container's init (exec).
  size_t i = 0;
  (c.req.exec ? c.container_init : c.exec_fifo) = std::move(msg.fds[i++]);
  if (c.req.has_exec_done) c.exec_done = std::move(msg.fds[i++]);
  c.log = c.req.has_log ? std::move(msg.fds[i++]) : TRY(open_fd("/dev/null", O_WRONLY));
  if (c.req.has_console) c.console_sock = std::move(msg.fds[i++]);
  if (c.spec.process->terminal != c.req.has_console) return Error(EPROTO, "init request: terminal without console");
  return c;
}

// After unshare(CLONE_NEWUSER) the parent writes our maps; then we become root inside,
// so files we create belong to the container's root and exec keeps our capabilities.
// A new time namespace is made in the same call, so that it belongs to the new user
// namespace; its offsets are the parent's to write too (our /proc/self is not ours to
// write as a non-dumpable process of a user namespace).
Status become_root_in_new_userns(const Context& c) {
  int flags = CLONE_NEWUSER | (wants_new_time_ns(c.spec.linux) ? CLONE_NEWTIME : 0);
  if (::unshare(flags) < 0) return Error::from_errno("unshare user namespace");
  TRY(send_message(c.sock, MsgType::maps, 0, ""));
  auto reply = TRY(recv_message(c.sock));
  if (reply.type != MsgType::maps_done) return Error(EPROTO, "expected maps_done");
  if (::setresgid(0, 0, 0) < 0 || ::setgroups(0, nullptr) < 0 || ::setresuid(0, 0, 0) < 0)
    return Error::from_errno("become root in the user namespace (its mappings must include uid and gid 0)");
  return {};
}

Status enter_namespaces(const Context& c) {
  const auto& linux = c.spec.linux;
  // Joined namespaces first, with the host's privileges (the user namespace first among them).
  TRY(join_namespaces(linux));
  // Then the new user namespace, so the namespaces created after it belong to it.
  bool new_userns = wants_new_userns(linux);
  if (new_userns) TRY(become_root_in_new_userns(c));
  int flags = unshare_flags(linux) & ~(new_userns ? CLONE_NEWTIME : 0);
  if (flags && ::unshare(flags) < 0) return Error::from_errno("unshare namespaces");
  if (!new_userns && wants_new_time_ns(linux)) TRY(write_time_offsets(0, linux));
  return {};
}

Status write_sysctls(const oci::Spec& spec) {
  for (const auto& [key, value] : spec.linux.sysctl) {
    std::string path = "/proc/sys/" + key;
    for (size_t i = 10; i < path.size(); i++)
      if (path[i] == '.') path[i] = '/';
    TRY_CTX(write_file(path, value), "sysctl " + key);
  }
  return {};
}

// Keys the host's session keyring holds must not be reachable from the container.
Status join_session_keyring(const std::string& id) {
  std::string name = "_ses." + id;
  if (::syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name.c_str()) < 0 && errno != ENOSYS)
    return Error::from_errno("join a new session keyring");
  return {};
}

bool in_new_or_joined_userns(const oci::Spec& spec) { return spec.linux.has(oci::NamespaceType::user); }

// Loads a filter with a listener, which goes to the parent at once: to the supervisor, or
// to the agent at listenerPath, during create (as runc hands it over).
Status load_with_listener(Context& c, const seccomp::Program& p) {
  auto listener = TRY(seccomp::load_filter(p));
  int fds[] = {listener.get()};
  return send_message(c.sock, MsgType::seccomp, 0, "", fds);
}

// Filters whose listener the parent needs before ready: the supervisor's, and an OCI
// profile that notifies. Each filter is judged on its own and the kernel takes the strictest
// answer, whatever their order, so the profile's denials stand over the supervisor's.
Status load_listening_filters(Context& c) {
  if (c.req.supervisor) TRY(load_with_listener(c, *c.req.supervisor));
  if (c.req.seccomp && c.req.seccomp->listener()) {
    TRY(load_with_listener(c, *c.req.seccomp));
    c.profile_loaded = true;
  }
  return {};
}

// The OCI profile comes last, so that it constrains none of our own work: after it the init
// makes no call but execve (identity.hpp says how the CAP_SYS_ADMIN the load may need goes:
// apply_user_and_capabilities).
Status enter_profile(Context& c) {
  if (c.req.seccomp && !c.profile_loaded) TRY(seccomp::load_filter(*c.req.seccomp));
  c.profile_loaded = true;
  return {};
}

bool has_container_hooks(const oci::Hooks& h) {
  return !h.prestart.empty() || !h.create_runtime.empty() || !h.create_container.empty() ||
         !h.start_container.empty();
}

void log_hook_output(std::string_view kind, std::string_view line) {
  log_line(LogLevel::info, std::string(kind) + " hook: " + std::string(line));
}

// The createRuntime point: the parent runs prestart and createRuntime hooks (in the host's
// namespaces) and sends the state; createContainer hooks then run here, in the container's
// mount namespace, before pivot_root.
Status hook_point(Context& c) {
  const auto& hooks = c.spec.hooks;
  if (!has_container_hooks(hooks)) return {};
  TRY(send_message(c.sock, MsgType::hooks, 0, ""));
  auto reply = TRY(recv_message(c.sock));
  if (reply.type != MsgType::hooks_done) return Error(EPROTO, "expected hooks_done");
  c.state_json = reply.payload;
  return run_hooks("createContainer", hooks.create_container, c.state_json,
                   [](std::string_view l) { log_hook_output("createContainer", l); });
}

// process.terminal: a pty of the container's devpts; the master goes out at once (to the
// console socket, or to vigil itself in the foreground), the slave becomes our stdio later.
Status make_terminal(Context& c, int root) {
  auto pty = TRY(open_pty(root, c.spec.process->console_size));
  TRY(send_console(c.console_sock.get(), pty.master.get()));
  c.console_sock.reset();
  c.terminal = std::move(pty.slave);
  return {};
}

// The container's /dev/console is its terminal, as in runc and crun.
Status bind_console(Context& c, int root) {
  auto target = TRY(make_in_root(root, "/dev/console", Create::file));
  return real_sys().bind(c.terminal.get(), false, {}, {}, target.get(), "/dev/console");
}

Status set_up_process(Context& c);

// Stage 2 of create, step by step: the container's environment, then its process, ready
// to exec after `start`.
Status set_up_container(Context& c) {
  const oci::Spec& spec = c.spec;
  const oci::Process& proc = *spec.process;
  // A session of its own, as runc gives: no controlling terminal of the caller's.
  ::setsid();
  // Modes of what we create (devices, mount points) are exactly the ones asked for.
  ::umask(0);
  if (c.req.new_keyring) TRY(join_session_keyring(c.req.id));
  // Kernel state of the new namespaces, through the /proc we still share with the host.
  if (!spec.hostname.empty()) TRY(real_sys().sethostname(spec.hostname));
  if (!spec.domainname.empty()) TRY(real_sys().setdomainname(spec.domainname));
  TRY(write_sysctls(spec));
  if (proc.oom_score_adj) TRY(apply_oom_score_adj(*proc.oom_score_adj));
  // The filesystem: mounts, devices, masks, then pivot_root.
  RootfsParams rp;
  rp.spec = &spec;
  rp.rootfs = c.req.rootfs;
  rp.bundle = c.req.bundle;
  rp.no_pivot = c.req.no_pivot;
  rp.in_userns = in_new_or_joined_userns(spec);
  rp.cgroups = c.req.cgroups;
  rp.before_pivot = [&] { return hook_point(c); };
  if (proc.terminal)
    rp.console = [&](int root) -> Status {
      TRY(make_terminal(c, root));
      return bind_console(c, root);
    };
  TRY_CTX(setup_rootfs(real_sys(), rp), "rootfs");
  return set_up_process(c);
}

std::vector<std::string> with_home(const oci::Process& proc) {
  std::vector<std::string> env = proc.env;
  for (const auto& e : env)
    if (e.rfind("HOME=", 0) == 0) return env;
  env.push_back("HOME=/");
  return env;
}

// The process, for create and exec alike: limits, then cwd and program lookup while still
// root, the identity, and the filters whose listeners must go out now. The OCI profile waits
// for enter_profile(), right before the exec.
Status set_up_process(Context& c) {
  const oci::Spec& spec = c.spec;
  const oci::Process& proc = *spec.process;
  TRY(apply_rlimits(proc.rlimits));
  if (spec.linux.personality) TRY(apply_personality(*spec.linux.personality));
  TRY(enter_cwd(proc.cwd));
  auto path = TRY(find_executable(proc.args[0], proc.env));
  if (proc.terminal && !c.terminal) {
    auto root = TRY(open_fd("/", O_PATH | O_DIRECTORY));
    TRY(make_terminal(c, root.get()));
  }
  if (c.terminal) {
    TRY(attach_terminal(c.terminal.get(), proc.user.uid));
    c.terminal.reset();
  }
  // While it still has CAP_SYS_ADMIN, which Landlock takes in place of no_new_privs.
  // Its rules are looked up here, in the container's root, after every mount.
  if (!c.req.landlock.empty()) TRY(landlock::restrict(c.req.landlock));
  TRY(apply_user_and_capabilities(proc));
  ::umask(proc.user.umask.value_or(022));
  TRY(load_listening_filters(c));
  c.program.emplace(std::move(path), proc.args, with_home(proc));
  return {};
}

// After ready nobody waits on the socket: what stops the program from running goes to the
// log, to the container's stderr (runc's place for it), and to exec_done, where `start`
// reads it. Best effort, under whatever filter is loaded by then.
[[noreturn]] void fail_after_ready(Context& c, int status, const Error& err) {
  std::string text = err.str();
  log_line(LogLevel::error, text);
  std::string line = "vigil: " + text + "\n";
  (void)!::write(2, line.data(), line.size());
  if (c.exec_done) (void)!::write(c.exec_done.get(), text.data(), text.size());
  _exit(status);
}

// Only stdio and the preserved fds will stay open across the exec. Done before the OCI
// profile is loaded: profiles older than close_range(2) refuse it.
void prepare_fds_or_fail(Context& c) {
  if (auto st = prepare_fds(c.req.preserve_fds); !st) fail_after_ready(c, 1, st.error());
}

// The last steps: the OCI profile is loaded, and the program replaces us.
[[noreturn]] void run_program(Context& c) {
  if (auto st = enter_profile(c); !st) fail_after_ready(c, 1, st.error());
  int err = c.program->exec();
  fail_after_ready(c, err == ENOENT ? 127 : 126, Error(err, "exec " + c.program->path()));
}

[[noreturn]] void container_init(Context& c) {
  if (auto st = set_up_container(c); !st) init_fail(c.sock, st.error());
  if (auto st = send_message(c.sock, MsgType::ready, 0, ""); !st) _exit(1);
  // Block until `start` writes to the exec fifo. EOF would mean nobody can start us.
  char byte;
  ssize_t n;
  do n = ::read(c.exec_fifo.get(), &byte, 1);
  while (n < 0 && errno == EINTR);
  if (n != 1) _exit(1);
  c.exec_fifo.reset();
  prepare_fds_or_fail(c);
  // startContainer hooks: after start, in the container, before its program. They run under
  // the OCI profile, as in runc.
  const auto& hooks = c.spec.hooks.start_container;
  if (!hooks.empty()) {
    if (auto st = enter_profile(c); !st) fail_after_ready(c, 1, st.error());
    auto started = run_hooks("startContainer", hooks, c.state_json,
                             [](std::string_view l) { log_hook_output("startContainer", l); });
    if (!started) fail_after_ready(c, 1, started.error());
  }
  run_program(c);
}

// exec: the new process is set up like the container's own, then runs at once.
[[noreturn]] void exec_process(Context& c) {
  // A session of its own, as the container's init has, to own a terminal.
  ::setsid();
  if (auto st = set_up_process(c); !st) init_fail(c.sock, st.error());
  if (auto st = send_message(c.sock, MsgType::ready, 0, ""); !st) _exit(1);
  prepare_fds_or_fail(c);
  run_program(c);
}

// exec: every namespace of the container at once, through a pidfd of its init (setns with
// a pidfd joins them together, the user namespace first, and cannot hit a recycled pid).
Status join_container(const Context& c) {
  int flags = 0;
  for (const auto& ns : c.spec.linux.namespaces) flags |= oci::namespace_clone_flag(ns.type);
  if (flags && ::setns(c.container_init.get(), flags) < 0) return Error::from_errno("join the container's namespaces");
  return {};
}

// Fork the container's init as our parent's child, then tell the parent who it is.
[[noreturn]] void fork_container_init(Context& c) {
  int pidfd = -1;
  clone_args args{};
  // With CLONE_PARENT the kernel takes the exit signal from us (SIGCHLD) and refuses another.
  args.flags = CLONE_PARENT | CLONE_PIDFD;
  args.pidfd = uint64_t(uintptr_t(&pidfd));
  long pid = ::syscall(SYS_clone3, &args, sizeof args);
  if (pid < 0) init_fail(c.sock, Error::from_errno("clone3 container init"));
  if (pid == 0) {
    if (c.req.exec) exec_process(c);
    container_init(c);
  }
  int fds[] = {pidfd};
  if (auto st = send_message(c.sock, MsgType::init_pid, 0, std::to_string(pid), fds); !st) _exit(1);
  _exit(0);
}


}  // namespace

void init_main(int sock) {
  // Nothing of the container may ptrace us or open /proc/PID/exe while we are vigil.
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  // `vigil run` blocks signals to forward them, and a caller may have left some ignored:
  // the container starts with every disposition at its default and none blocked.
  reset_signals_for_exec();
  ::fcntl(sock, F_SETFD, FD_CLOEXEC);
  auto ctx = receive_request(sock);
  if (!ctx) init_fail(sock, ctx.error());
  if (auto st = isolate_fds(*ctx); !st) init_fail(ctx->sock, st.error());
  auto entered = ctx->req.exec ? join_container(*ctx) : enter_namespaces(*ctx);
  if (!entered) init_fail(ctx->sock, entered.error());
  fork_container_init(*ctx);
}

}  // namespace vigil
