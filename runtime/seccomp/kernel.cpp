#include "runtime/seccomp/kernel.hpp"

#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace vigil::seccomp {

bool kernel_accepts_flags(unsigned int flags) {
  int saved = errno;
  long rc = ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, nullptr);
  bool ok = rc < 0 && errno == EFAULT;
  errno = saved;
  return ok;
}

bool kernel_has_action(uint32_t ret) {
  int saved = errno;
  long rc = ::syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &ret);
  errno = saved;
  return rc == 0;
}

}  // namespace vigil::seccomp
