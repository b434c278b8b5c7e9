// The runtime's side of the supervisor: create starts it while the container's init is being
// set up, then hands it the init (its filters loaded, blocked before its program); `vigil
// exec` hands it each new process.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"
#include "runtime/cgroup/cgroup.hpp"
#include "runtime/init/reexec.hpp"
#include "runtime/policy/exec_policy.hpp"
#include "runtime/policy/memory_policy.hpp"
#include "runtime/policy/paths_policy.hpp"

namespace vigil::supervisor {

struct Launched {
  pid_t pid = 0;
  uint64_t start_time = 0;
};

struct LaunchRequest {
  std::string id;
  std::string dir;        // the container's state dir: audit.log and supervisor.sock go there
  std::string cache_dir;  // compiled seccomp filters (the supervisor's own allow-list)
  int log = -1;           // --log, or -1
  policy::ExecPolicy exec;
  policy::MemoryPolicy memory;  // container_max resolved (memory_watch.hpp)
  bool sets_data_limit = false;  // supervisor_sets_data_limit() (memory_rlimits.hpp)
  policy::PathsPolicy paths;
  policy::AccessSet judged_paths = 0;  // the accesses path rules leave to the supervisor
  cgroup::Cgroup cgroup;  // the container's: emptied if the supervisor dies (guard.hpp)
};

class Supervisor {
 public:
  // Forks the supervisor, which waits, idle, while the caller makes the init. Call it
  // single-threaded.
  static Result<Supervisor> start(const LaunchRequest& r);
  // Hands it the init (our child, not yet started, so its pid cannot be reused) and the
  // init's listener, and returns at once with who the supervisor is: the caller can save
  // its state meanwhile.
  Result<Launched> hand_over(pid_t init, int listener);
  // Returns once the supervisor watches the init's listener, its guard already running. The
  // supervisor then outlives us; before this, dropping it kills it.
  Status ready();

 private:
  Supervisor(Child c, unique_fd sock) : child_(std::move(c)), sock_(std::move(sock)) {}
  Child child_;
  unique_fd sock_;
};

// The supervisor's socket in a container's state dir.
inline constexpr const char* kSocketName = "supervisor.sock";
std::string socket_path(const std::string& dir);

// exec: the listener of `pid` (not yet past its execve) to the running supervisor, which
// watches it from then on. Returns once it does.
Status hand_in(const std::string& dir, pid_t pid, int listener);

}  // namespace vigil::supervisor
