#include "runtime/init/spawn.hpp"

#include <fcntl.h>
#include <linux/sched.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <optional>
#include <string>

#include "runtime/base/scope_guard.hpp"
#include "runtime/init/protocol.hpp"
#include "runtime/namespaces/namespaces.hpp"
#include "runtime/process/process_handle.hpp"

namespace vigil {
namespace {

// A child we started: killed and reaped if still ours when dropped.
class Child {
 public:
  Child() = default;
  Child(pid_t pid, unique_fd pidfd) : pid_(pid), pidfd_(std::move(pidfd)) {}
  Child(Child&&) = default;
  Child& operator=(Child&&) = default;
  ~Child() {
    if (!pidfd_) return;
    (void)send_signal(pidfd_.get(), SIGKILL);
    reap();
  }
  pid_t pid() const { return pid_; }
  int pidfd() const { return pidfd_.get(); }
  // Waits for it to exit; returns its wait status.
  int reap() {
    siginfo_t info{};
    while (::waitid(idtype_t(P_PIDFD), id_t(pidfd_.get()), &info, WEXITED) < 0 && errno == EINTR) {
    }
    pidfd_.reset();
    return info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
  }
  unique_fd release() { return std::move(pidfd_); }

 private:
  pid_t pid_ = 0;
  unique_fd pidfd_;
};

// Clones a child that only re-execs vigil (read-only, see readonly_self_exe) as `vigil init SOCK`. Between clone and
// exec the child does nothing but async-signal-safe system calls.
Result<Child> start_stage1(int exe, int child_sock) {
  std::string sock_arg = std::to_string(child_sock);
  char arg0[] = "vigil", arg1[] = "init";
  char* argv[] = {arg0, arg1, sock_arg.data(), nullptr};
  char* envp[] = {nullptr};
  int pidfd = -1;
  clone_args args{};
  args.flags = CLONE_PIDFD;
  args.pidfd = uint64_t(uintptr_t(&pidfd));
  args.exit_signal = SIGCHLD;
  long pid = ::syscall(SYS_clone3, &args, sizeof args);
  if (pid < 0) return Error::from_errno("clone3");
  if (pid == 0) {
    ::fcntl(child_sock, F_SETFD, 0);
    ::syscall(SYS_execveat, exe, "", argv, envp, AT_EMPTY_PATH);
    ::_exit(127);
  }
  return Child(pid_t(pid), unique_fd(pidfd));
}

}  // namespace

Result<SpawnedInit> spawn_init(const oci::Spec& spec, InitRequest req, const InitFds& fds, const SpawnHandlers& on) {
  auto exe = TRY(readonly_self_exe());
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) return Error::from_errno("socketpair");
  unique_fd sock(sv[0]), child_sock(sv[1]);
  Child stage1 = TRY(start_stage1(exe.get(), child_sock.get()));
  child_sock.reset();
  TRY(on.stage1(stage1.pid()));

  std::vector<int> sent = {fds.first};
  req.has_exec_done = fds.exec_done >= 0;
  req.has_log = fds.log >= 0;
  if (req.has_exec_done) sent.push_back(fds.exec_done);
  req.has_console = fds.console >= 0;
  if (req.has_log) sent.push_back(fds.log);
  if (req.has_console) sent.push_back(fds.console);
  TRY(send_message(sock.get(), MsgType::request, 0, encode_request(req), sent));
  // init_pid comes from stage 1 and ready from the init itself: either may arrive first.
  std::optional<Child> init;
  unique_fd listener;
  bool ready = false, hooks_pending = false;
  for (;;) {
    // The hook point may come before stage 1 has said who the init is.
    if (hooks_pending && init) {
      hooks_pending = false;
      auto state = TRY(on.hooks(init->pid()));
      TRY(send_message(sock.get(), MsgType::hooks_done, 0, state));
    }
    if (init && ready) {
      stage1.reap();
      SpawnedInit out;
      out.pid = init->pid();
      // The container's init waits for start, so it is alive now unless it died; an exec'd
      // process runs at once and may be gone already, and no state records it.
      if (!req.exec) {
        auto start = process_start_time(init->pid());
        if (!start) return Error(ESRCH, "the container's init exited right after setup");
        out.start_time = *start;
      }
      out.pidfd = init->release();
      out.seccomp_listener = std::move(listener);
      return out;
    }
    auto msg = recv_message(sock.get());
    if (!msg) {
      if (msg.error().code() != 0) return std::move(msg).error();
      int status = stage1.reap();
      return Error(0, "the container's init exited during setup (status " + std::to_string(status) + ")");
    }
    switch (msg->type) {
      case MsgType::maps:
        TRY_CTX(write_id_maps(stage1.pid(), spec.linux), "write id mappings");
        TRY(send_message(sock.get(), MsgType::maps_done, 0, ""));
        break;
      case MsgType::init_pid:
        if (msg->fds.size() != 1) return Error(EPROTO, "init_pid without a pidfd");
        init.emplace(pid_t(std::stoi(msg->payload)), std::move(msg->fds[0]));
        break;
      case MsgType::log:
        on.log(msg->err, msg->payload);
        break;
      case MsgType::hooks:
        hooks_pending = true;
        break;
      case MsgType::error:
        return Error(msg->err, msg->payload);
      case MsgType::ready:
        ready = true;
        break;
      case MsgType::seccomp:
        if (msg->fds.size() != 1) return Error(EPROTO, "seccomp message without the listener fd");
        listener = std::move(msg->fds[0]);
        break;
      default:
        return Error(EPROTO, "unexpected message from init");
    }
  }
}

}  // namespace vigil
