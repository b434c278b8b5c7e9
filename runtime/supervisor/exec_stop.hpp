// The check at PTRACE_EVENT_EXEC, before the new image runs one instruction: /proc/PID/exe
// must be the very file (device, inode, size, mtime, ctime) the supervisor verified, and
// every file in /proc/PID/maps (the program, its loader) one it verified. The process is
// stopped and is ours, so none of this can change under us.
#pragma once

#include <sys/types.h>

#include <string>

#include "runtime/supervisor/expected_images.hpp"

namespace vigil::supervisor {

// Empty when the image is what was verified; else why not.
std::string exec_mismatch(pid_t pid, const std::optional<ExpectedImage>& expected);

}  // namespace vigil::supervisor
