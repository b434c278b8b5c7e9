#include "runtime/supervisor/tracee_memory.hpp"

#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/uio.h>

#include <algorithm>
#include <cstring>

namespace vigil::supervisor {

bool notification_valid(int listener, uint64_t id) {
  return ::ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

Result<std::string> read_bytes(int listener, uint64_t id, pid_t pid, uint64_t addr, size_t size) {
  std::string out(size, '\0');
  iovec local{out.data(), size};
  iovec remote{reinterpret_cast<void*>(addr), size};
  if (size && ::process_vm_readv(pid, &local, 1, &remote, 1, 0) != ssize_t(size))
    return Error(EFAULT, "read the memory of pid " + std::to_string(pid));
  if (!notification_valid(listener, id)) return Error(ENOENT, "pid " + std::to_string(pid) + " left the syscall");
  return out;
}

Result<std::string> read_string(int listener, uint64_t id, pid_t pid, uint64_t addr, size_t max) {
  std::string out;
  constexpr size_t kChunk = 256;
  char buf[kChunk];
  while (out.size() < max) {
    // Never across a page boundary in one read: the next page may be unmapped while the
    // string ends before it.
    size_t page_left = 4096 - ((addr + out.size()) & 4095);
    size_t want = std::min({kChunk, page_left, max - out.size()});
    iovec local{buf, want};
    iovec remote{reinterpret_cast<void*>(addr + out.size()), want};
    ssize_t n = ::process_vm_readv(pid, &local, 1, &remote, 1, 0);
    if (n <= 0) return Error::from_errno("read the memory of pid " + std::to_string(pid));
    if (!notification_valid(listener, id)) return Error(ENOENT, "pid " + std::to_string(pid) + " left the syscall");
    const char* nul = static_cast<const char*>(std::memchr(buf, 0, size_t(n)));
    if (nul) return out.append(buf, size_t(nul - buf));
    out.append(buf, size_t(n));
  }
  return Error(ENAMETOOLONG, "string of pid " + std::to_string(pid) + " longer than " + std::to_string(max));
}

}  // namespace vigil::supervisor
