#include <poll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include <csignal>

#include "runtime/base/log.hpp"
#include "runtime/container/container.hpp"
#include "runtime/process/process_handle.hpp"

namespace vigil {
namespace {

// Every signal a process can catch, except the ones that are about us rather than the container.
sigset_t forwarded_signals() {
  sigset_t set;
  sigfillset(&set);
  for (int s : {SIGCHLD, SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGURG}) sigdelset(&set, s);
  return set;
}

int exit_code(const siginfo_t& info) {
  return info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
}

// Forwards signals to the init until it exits; returns its exit code.
Result<int> wait_forwarding(int pidfd, const sigset_t& set) {
  unique_fd sfd(::signalfd(-1, &set, SFD_CLOEXEC));
  if (!sfd) return Error::from_errno("signalfd");
  pollfd fds[2] = {{pidfd, POLLIN, 0}, {sfd.get(), POLLIN, 0}};
  for (;;) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("poll");
    }
    if (fds[1].revents & POLLIN) {
      signalfd_siginfo si;
      if (::read(sfd.get(), &si, sizeof si) == sizeof si) (void)send_signal(pidfd, int(si.ssi_signo));
    }
    if (fds[0].revents & POLLIN) {
      siginfo_t info{};
      if (::waitid(idtype_t(P_PIDFD), id_t(pidfd), &info, WEXITED) < 0) return Error::from_errno("wait for init");
      return exit_code(info);
    }
  }
}

}  // namespace

Result<int> run_container(const CreateOptions& o, bool detach) {
  sigset_t set = forwarded_signals(), old;
  // Blocked from the start, so a signal sent while we set up is delivered to the container, not lost.
  if (!detach) ::sigprocmask(SIG_BLOCK, &set, &old);
  auto init = create_container(o);
  if (!init) return std::move(init).error();
  if (auto st = start_container(o.root, o.id); !st) {
    (void)delete_container(o.root, o.id, true);
    return std::move(st).error();
  }
  if (detach) return 0;
  auto code = wait_forwarding(init->pidfd.get(), set);
  if (auto st = delete_container(o.root, o.id, true); !st) log_warn(st.error().str());
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  return code;
}

}  // namespace vigil
