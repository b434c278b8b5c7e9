// setxattr and removexattr (by path, not following a symlink, by fd) under path rules the
// supervisor judges for chmod: a file's extended attributes hold its ACLs, its file
// capabilities and its security labels, which grant as its mode does. The supervisor makes
// the change itself, through the file it looked up once (path_walk.hpp) or the fd it took
// from the process, acting as the process: no symlink swapped in meanwhile redirects it.
#include <fcntl.h>
#include <linux/limits.h>
#include <sys/xattr.h>

#include "runtime/supervisor/acting_for.hpp"
#include "runtime/supervisor/respond.hpp"
#include "runtime/supervisor/tracee_memory.hpp"

namespace vigil::supervisor {

void judge_xattr(const JudgeContext& c, const Notified& who, const seccomp_notif& n, Watched w) {
  const auto* a = n.data.args;
  const bool set = w == Watched::setxattr || w == Watched::lsetxattr || w == Watched::fsetxattr;
  const bool by_fd = w == Watched::fsetxattr || w == Watched::fremovexattr;
  const bool follow = w == Watched::setxattr || w == Watched::removexattr;
  static const char* const kNames[] = {"setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr"};
  const std::string syscall = kNames[int(w) - int(Watched::setxattr)];
  // The name, and a value to set, as the kernel reads them: before the thread acts as the
  // process, which may not read its memory.
  auto name = read_string(who.listener, who.id, who.pid, a[1], XATTR_NAME_MAX + 1);
  if (!name) return fail_as_kernel(who, name.error().code() == ENAMETOOLONG ? ERANGE : name.error().code() == ENOENT ? ENOENT : EFAULT);
  if (name->empty()) return fail_as_kernel(who, ERANGE);
  std::string value;
  int flags = set ? int(a[4]) : 0;
  if (set) {
    if (flags & ~(XATTR_CREATE | XATTR_REPLACE)) return fail_as_kernel(who, EINVAL);
    if (a[3] > XATTR_SIZE_MAX) return fail_as_kernel(who, E2BIG);
    auto v = read_bytes(who.listener, who.id, who.pid, a[2], size_t(a[3]));
    if (!v) return fail_as_kernel(who, v.error().code());
    value = std::move(*v);
  }
  if (!by_fd && !a[0]) return fail_as_kernel(who, EFAULT);
  auto on = on_file(c, who, by_fd ? int(a[0]) : AT_FDCWD, by_fd ? 0 : a[0], follow);
  if (!on || refused(c, who, syscall, on->f, policy::Access::chmod)) return;
  if (!on->acting.over({}, {&on->f.st})) return fail_as_kernel(who, EACCES);
  int fd = on->f.fd.get();
  int rc = by_fd ? (set ? ::fsetxattr(fd, name->c_str(), value.data(), value.size(), flags) : ::fremovexattr(fd, name->c_str()))
                 : on->acting.in.by_name(fd, [&](const char* at) {
                     return set ? ::setxattr(at, name->c_str(), value.data(), value.size(), flags) : ::removexattr(at, name->c_str());
                   });
  if (rc < 0) return fail_as_kernel(who, errno);
  reply(respond_value(who.listener, who.id, 0));
}

}  // namespace vigil::supervisor
