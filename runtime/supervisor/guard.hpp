// In a pid namespace the container does not lead (a pod's shared one, the host's), the
// init's death leaves the container's other processes running, and EXITKILL reaches only
// the init. The guard makes the container die with its supervisor all the same: a process
// forked before the supervisor confines itself, holding nothing but the container's cgroup
// and CAP_KILL, that waits for the supervisor to go and, unless the supervisor said the
// container was over, kills every process in the cgroup.
#pragma once

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"
#include "runtime/cgroup/cgroup.hpp"

namespace vigil::supervisor {

class Guard {
 public:
  // Forks it; call while the supervisor is single-threaded.
  static Result<Guard> start(const cgroup::Cgroup& cg);
  // The container is over: the guard exits, killing nothing.
  void dismiss();

 private:
  explicit Guard(unique_fd to_guard) : to_guard_(std::move(to_guard)) {}
  unique_fd to_guard_;  // its EOF, with no word before it, is the supervisor's death
};

}  // namespace vigil::supervisor
