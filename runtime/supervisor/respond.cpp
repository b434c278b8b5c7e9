#include "runtime/supervisor/respond.hpp"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>

#include "runtime/base/log.hpp"

namespace vigil::supervisor {
namespace {

Status send(int listener, const seccomp_notif_resp& r) {
  if (::ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &r) < 0) return Error::from_errno("answer notification");
  return {};
}

}  // namespace

void reply(Status st) {
  if (!st && st.error().code() != ENOENT) log_warn("supervisor: " + st.error().str());
}

Status respond_continue(int listener, uint64_t id) {
  seccomp_notif_resp r{};
  r.id = id;
  r.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
  return send(listener, r);
}

Status respond_errno(int listener, uint64_t id, int err) {
  seccomp_notif_resp r{};
  r.id = id;
  r.error = -err;
  return send(listener, r);
}

Status respond_value(int listener, uint64_t id, int64_t value) {
  seccomp_notif_resp r{};
  r.id = id;
  r.val = value;
  return send(listener, r);
}

Status respond_fd(int listener, uint64_t id, int fd, bool cloexec) {
  seccomp_notif_addfd a{};
  a.id = id;
  a.flags = SECCOMP_ADDFD_FLAG_SEND;
  a.srcfd = uint32_t(fd);
  a.newfd_flags = cloexec ? O_CLOEXEC : 0;
  if (::ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &a) < 0) return Error::from_errno("install an fd in the process");
  return {};
}

}  // namespace vigil::supervisor
