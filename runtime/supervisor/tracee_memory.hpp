// Reading a notified process's memory: only with process_vm_readv, and every read is
// followed by SECCOMP_IOCTL_NOTIF_ID_VALID, so what was read is known to come from the
// process that made the syscall, still blocked in it (its pid was not recycled meanwhile).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "runtime/base/error.hpp"

namespace vigil::supervisor {

// The NUL-terminated string at `addr` (at most `max` bytes) of notification `id`.
Result<std::string> read_string(int listener, uint64_t id, pid_t pid, uint64_t addr, size_t max = 4096);

// `size` bytes at `addr` of notification `id`'s process, all of them or an error.
Result<std::string> read_bytes(int listener, uint64_t id, pid_t pid, uint64_t addr, size_t size);

// Whether notification `id` is still pending (its process blocked in the syscall).
bool notification_valid(int listener, uint64_t id);

}  // namespace vigil::supervisor
