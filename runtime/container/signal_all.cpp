#include "runtime/container/signal_all.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>

#include "runtime/base/file.hpp"
#include "runtime/process/process_handle.hpp"

namespace vigil {

Status signal_all(const cgroup::Cgroup& cg, int sig) {
  // The kernel's own kill of a whole cgroup races with nothing (no fork can slip through).
  if (sig == SIGKILL && cg.kill_all()) return {};
  for (pid_t pid : TRY(cg.pids())) {
    unique_fd fd(int(::syscall(SYS_pidfd_open, pid, 0)));
    if (!fd) continue;  // gone already
    if (!cg.contains(pid)) continue;
    (void)send_signal(fd.get(), sig);
  }
  return {};
}

}  // namespace vigil
