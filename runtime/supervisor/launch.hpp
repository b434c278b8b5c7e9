// The runtime's side of the supervisor: create starts it once the container's init is set
// up (its filters loaded, blocked before its program); `vigil exec` hands it each new process.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "runtime/base/error.hpp"

namespace vigil::supervisor {

struct Launched {
  pid_t pid = 0;
  uint64_t start_time = 0;
};

struct LaunchRequest {
  std::string id;
  std::string dir;        // the container's state dir: audit.log and supervisor.sock go there
  std::string cache_dir;  // compiled seccomp filters (the supervisor's own allow-list)
  pid_t init = 0;      // our child, not yet started: its pid cannot be reused
  int listener = -1;  // the init's seccomp listener
  int log = -1;       // --log, or -1
};

// Forks the supervisor in a session of its own, detached from us; returns once it has
// seized the init, so no instruction of the program runs untraced. Call it single-threaded.
Result<Launched> launch(const LaunchRequest& r);

// The supervisor's socket in a container's state dir.
std::string socket_path(const std::string& dir);

// exec: `pid` (not yet past its execve) and its listener to the running supervisor, which
// seizes it and answers. Returns once it has.
Status hand_in(const std::string& dir, pid_t pid, int listener);

}  // namespace vigil::supervisor
