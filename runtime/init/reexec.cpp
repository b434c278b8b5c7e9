#include "runtime/init/reexec.hpp"

#include <fcntl.h>
#include <linux/sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <string>

#include "runtime/process/process_handle.hpp"

namespace vigil {

Child::~Child() {
  if (!pidfd_) return;
  (void)send_signal(pidfd_.get(), SIGKILL);
  reap();
}

int Child::reap() {
  siginfo_t info{};
  while (::waitid(idtype_t(P_PIDFD), id_t(pidfd_.get()), &info, WEXITED) < 0 && errno == EINTR) {
  }
  pidfd_.reset();
  return info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
}

Result<Child> fork_child(const char* what) {
  int pidfd = -1;
  clone_args args{};
  args.flags = CLONE_PIDFD;
  args.pidfd = uint64_t(uintptr_t(&pidfd));
  args.exit_signal = SIGCHLD;
  long pid = ::syscall(SYS_clone3, &args, sizeof args);
  if (pid < 0) return Error::from_errno(std::string("clone3 for ") + what);
  if (pid == 0) return Child();
  return Child(pid_t(pid), unique_fd(pidfd));
}

Result<Child> reexec_self(int exe, int sock, const char* role) {
  std::string sock_arg = std::to_string(sock);
  char arg0[] = "vigil";
  char* argv[] = {arg0, const_cast<char*>(role), sock_arg.data(), nullptr};
  char* envp[] = {nullptr};
  auto child = TRY(fork_child("vigil init"));
  if (child.pid() == 0) {
    ::fcntl(sock, F_SETFD, 0);
    ::syscall(SYS_execveat, exe, "", argv, envp, AT_EMPTY_PATH);
    ::_exit(127);
  }
  return child;
}

}  // namespace vigil
