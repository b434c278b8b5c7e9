// utime, utimes, futimesat and utimensat under path rules the supervisor judges for write:
// a file's times are written with its content, and setting them to now takes the right to
// write it. The supervisor sets them itself, on the file it looked up once (path_walk.hpp)
// or the fd it took from the process, acting as the process: no symlink swapped in
// meanwhile redirects it.
#include <fcntl.h>
#include <linux/audit.h>
#include <sys/stat.h>

#include <cstring>

#include "runtime/supervisor/acting_for.hpp"
#include "runtime/supervisor/respond.hpp"
#include "runtime/supervisor/tracee_memory.hpp"

namespace vigil::supervisor {
namespace {

struct TimesCall {
  std::string syscall;
  int dirfd = AT_FDCWD;
  uint64_t path_addr = 0;  // 0: the dirfd's file (utimensat's futimens)
  uint64_t times_addr = 0;  // 0: now
  int flags = 0;
  size_t word = 8;  // bytes of each number in the times
  long scale = 1;   // to nanoseconds: 1000 for microseconds
  bool pairs = true;  // seconds and a fraction, twice (utime: seconds only)
};

TimesCall read_times_call(const seccomp_notif& n, Watched w) {
  const auto* a = n.data.args;
  // 32-bit x86's structs hold 32-bit numbers, but for utimensat_time64's.
  const size_t word = n.data.arch == AUDIT_ARCH_I386 ? 4 : 8;
  switch (w) {
    case Watched::utime: return {"utime", AT_FDCWD, a[0], a[1], 0, word, 1, false};
    case Watched::utimes: return {"utimes", AT_FDCWD, a[0], a[1], 0, word, 1000};
    case Watched::futimesat: return {"futimesat", int(a[0]), a[1], a[2], 0, word, 1000};
    case Watched::utimensat: return {"utimensat", int(a[0]), a[1], a[2], int(a[3]), word};
    default: return {"utimensat_time64", int(a[0]), a[1], a[2], int(a[3]), 8};
  }
}

int64_t number(const std::string& bytes, size_t at, size_t word) {
  if (word == 4) {
    int32_t v;
    std::memcpy(&v, bytes.data() + at, 4);
    return v;
  }
  int64_t v;
  std::memcpy(&v, bytes.data() + at, 8);
  return v;
}

// The times the process gave, as utimensat takes them; false when answered.
bool read_times(const Notified& who, const TimesCall& call, timespec out[2]) {
  size_t per = call.pairs ? 2 * call.word : call.word;
  auto bytes = read_bytes(who.listener, who.id, who.pid, call.times_addr, 2 * per);
  if (!bytes) return fail_as_kernel(who, bytes.error().code()), false;
  for (size_t i = 0; i < 2; i++) {
    out[i].tv_sec = number(*bytes, i * per, call.word);
    out[i].tv_nsec = call.pairs ? long(number(*bytes, i * per + call.word, call.word)) : 0;
    // Microseconds out of range stay out of range, for the kernel to refuse.
    if (call.scale != 1 && out[i].tv_nsec >= 0 && out[i].tv_nsec < 1000000) out[i].tv_nsec *= call.scale;
    else if (call.scale != 1) out[i].tv_nsec = -1;
  }
  return true;
}

}  // namespace

void judge_times(const JudgeContext& c, const Notified& who, const seccomp_notif& n, Watched w) {
  TimesCall call = read_times_call(n, w);
  if (call.flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return fail_as_kernel(who, EINVAL);
  timespec times[2];
  if (call.times_addr && !read_times(who, call, times)) return;
  if (call.path_addr && (call.flags & AT_EMPTY_PATH) && empty_path(who, call.path_addr)) {
    call.path_addr = 0;
  } else if (!call.path_addr) {
    // utimensat(fd, NULL, …) is futimens: on an fd, with no flags.
    if (call.dirfd == AT_FDCWD) return fail_as_kernel(who, EFAULT);
    if (call.flags) return fail_as_kernel(who, EINVAL);
  }
  const bool by_fd = call.path_addr == 0;
  auto on = on_file(c, who, call.dirfd, call.path_addr, !(call.flags & AT_SYMLINK_NOFOLLOW));
  if (!on || refused(c, who, call.syscall, on->f, policy::Access::write)) return;
  if (!on->acting.over({}, {&on->f.st})) return fail_as_kernel(who, EACCES);
  const timespec* ts = call.times_addr ? times : nullptr;
  // futimens on the fd itself (an O_PATH fd is EBADF, as for the process); else through
  // the looked-up fd, which a magic link names.
  int rc = by_fd && !(call.flags & AT_EMPTY_PATH)
               ? ::futimens(on->f.fd.get(), ts)
               : ::utimensat(on->acting.in.own_fds(), std::to_string(on->f.fd.get()).c_str(), ts, 0);
  if (rc < 0) return fail_as_kernel(who, errno);
  reply(respond_value(who.listener, who.id, 0));
}

}  // namespace vigil::supervisor
