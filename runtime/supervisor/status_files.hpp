// /proc/TID/status of the processes the supervisor judges, read through an fd kept for each
// thread: a judged call then costs one pread instead of an open, two reads and a close. A
// /proc fd stays bound to its task, so a read through it fails (ESRCH) once that task is gone,
// and never shows another task that took its pid: the fd is then opened again.
#pragma once

#include <sys/types.h>

#include <string>
#include <unordered_map>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"

namespace vigil::supervisor {

class StatusFiles {
 public:
  Result<std::string> read(pid_t tid);

 private:
  // Kept for this many threads at most; then all are let go (those alive open again).
  static constexpr size_t kMaxKept = 256;
  std::unordered_map<pid_t, unique_fd> fds_;
};

}  // namespace vigil::supervisor
