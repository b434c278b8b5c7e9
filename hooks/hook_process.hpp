// A hook's process: started, killed and reaped. Used by run_hook; not a general spawner.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <optional>

#include "oci/spec.hpp"
#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"

namespace vigil {

// Owns a started hook: if still unreaped when dropped, its process group is killed and it is
// reaped, so no early return leaves a hook running or a zombie behind.
//
// The hook is cloned with no exit signal (exit_signal = 0), which keeps it out of reach of the
// rest of the process: no SIGCHLD is raised for it, SIGCHLD = SIG_IGN does not auto-reap it
// (we would lose its status), and a waitpid(-1) reaper elsewhere does not see it (only __WALL
// does). We wait for it through its pidfd only.
class HookProcess {
 public:
  HookProcess(pid_t pid, unique_fd pidfd, unique_fd report);
  HookProcess(HookProcess&&) = default;
  HookProcess& operator=(HookProcess&&) = delete;
  ~HookProcess();

  int pidfd() const { return pidfd_.get(); }
  // SIGKILL to the hook and to everything it started in its process group.
  void kill_group();
  // Waits for the hook to exit and reaps it.
  Result<siginfo_t> reap();
  // After it exited: the step that failed between clone and exec ("exec: ENOENT"), if any.
  std::optional<Error> setup_error();

 private:
  pid_t pid_;
  unique_fd pidfd_;
  unique_fd report_;  // read end of the child's close-on-exec error pipe
};

// Starts `hook` (execve of hook.path with hook.args and exactly hook.env) with `stdin_fd` as its
// stdin and `output_fd` as its stdout and stderr, all other fds closed, no signal blocked, every
// disposition at its default, in a new process group. The caller closes its copies of the two
// fds afterwards, so EOF and EPIPE mean what they say.
Result<HookProcess> spawn_hook(const oci::Hook& hook, int stdin_fd, int output_fd);

}  // namespace vigil
