#include "runtime/container/wait.hpp"

#include <poll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/base/unique_fd.hpp"
#include "runtime/process/process_handle.hpp"

namespace vigil {

sigset_t forwarded_signals() {
  sigset_t set;
  sigfillset(&set);
  for (int s : {SIGCHLD, SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGURG}) sigdelset(&set, s);
  return set;
}

Result<int> wait_forwarding(int pidfd, const sigset_t& set, TerminalProxy* tty) {
  unique_fd sfd(::signalfd(-1, &set, SFD_CLOEXEC));
  if (!sfd) return Error::from_errno("signalfd");
  // A negative fd is skipped by poll: stdin and the terminal drop out when they end.
  pollfd fds[4] = {{pidfd, POLLIN, 0}, {sfd.get(), POLLIN, 0}, {tty ? 0 : -1, POLLIN, 0}, {tty ? tty->master() : -1, POLLIN, 0}};
  for (;;) {
    if (::poll(fds, 4, -1) < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("poll");
    }
    if (fds[1].revents & POLLIN) {
      signalfd_siginfo si;
      if (::read(sfd.get(), &si, sizeof si) == sizeof si) {
        if (tty && si.ssi_signo == SIGWINCH) tty->resize();
        else (void)send_signal(pidfd, int(si.ssi_signo));
      }
    }
    if (fds[2].revents && !tty->copy_input()) fds[2].fd = -1;
    if (fds[3].revents && !tty->copy_output()) fds[3].fd = -1;
    if (fds[0].revents & POLLIN) {
      siginfo_t info{};
      if (::waitid(idtype_t(P_PIDFD), id_t(pidfd), &info, WEXITED) < 0) return Error::from_errno("wait");
      if (tty && fds[3].fd >= 0) tty->drain();
      return info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
    }
  }
}

}  // namespace vigil
