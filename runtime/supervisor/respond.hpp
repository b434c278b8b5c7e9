// The supervisor's answers to a seccomp notification. ENOENT from the kernel means the process
// died or a signal interrupted its syscall meanwhile: normal, and returned as such.
#pragma once

#include <cstdint>

#include "runtime/base/error.hpp"

namespace vigil::supervisor {

// Logs an answer that failed other than by ENOENT (the process died, or a signal
// interrupted its syscall, meanwhile: normal).
void reply(Status st);

// The syscall runs as if the supervisor had not been asked.
Status respond_continue(int listener, uint64_t id);
// The syscall fails with `err`.
Status respond_errno(int listener, uint64_t id, int err);
// The syscall returns `value` without running.
Status respond_value(int listener, uint64_t id, int64_t value);
// `fd` is installed in the process and the syscall returns its number, in one step
// (SECCOMP_ADDFD_FLAG_SEND): an fd the supervisor opened, for an open it judged.
Status respond_fd(int listener, uint64_t id, int fd, bool cloexec);

}  // namespace vigil::supervisor
