#include "runtime/seccomp/load.hpp"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "runtime/seccomp/kernel.hpp"

namespace vigil::seccomp {

namespace {

std::string hex(unsigned int v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", v);
  return buf;
}

}  // namespace

Result<unique_fd> load_filter(const Program& p) {
  const auto& prog = p.insns;
  if (prog.empty()) return Error(EINVAL, "seccomp: the filter has no program (it was not made by build_filter)");
  unsigned int flags = p.flags;
  bool listener = p.listener();
  // On failure TSYNC returns the id of the thread it could not synchronise, which could not
  // be told apart from a listener fd; the kernel takes both only with TSYNC_ESRCH (Linux
  // 5.7), which makes that failure an ESRCH instead.
  if (listener && (flags & SECCOMP_FILTER_FLAG_TSYNC)) flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
  // Probed rather than tried: a failed load with it would leave no way to tell its EINVAL
  // from one about the program.
  if (listener && p.wait_killable && kernel_accepts_flags(flags | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV))
    flags |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;

  // The kernel copies the program; it only reads through the non-const pointer.
  sock_fprog fprog{static_cast<unsigned short>(prog.size()), const_cast<sock_filter*>(prog.data())};
  long rc = ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
  if (rc < 0) {
    int err = errno;
    std::string what = "seccomp(SECCOMP_SET_MODE_FILTER, " + hex(flags) + ")";
    if (err == EACCES) what += ": the caller needs no_new_privs or CAP_SYS_ADMIN";
    return Error(err, what);
  }
  // From here on the filter is in place: nothing that allocates or makes a syscall.
  if (listener) return unique_fd(static_cast<int>(rc));
  // TSYNC without a listener: a positive value is the thread that could not be synchronised,
  // and then no filter was installed.
  if (rc > 0)
    return Error(ESRCH, "seccomp: SECCOMP_FILTER_FLAG_TSYNC could not synchronise thread " + std::to_string(rc));
  return unique_fd();
}

}  // namespace vigil::seccomp
