// truncate, chmod and chown, by path and by fd, under path rules the supervisor judges for
// those accesses. The supervisor makes the change itself: acting as the process, in its
// root, it looks the path up once (path_walk.hpp) to an O_PATH fd, or takes the process's
// fd, judges what that is, and changes the file through that fd, so no symlink swapped in
// and no fd replaced meanwhile can make it change another file than the one judged.
#include <fcntl.h>
#include <linux/audit.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/supervisor/acting_for.hpp"
#include "runtime/supervisor/respond.hpp"
#include "runtime/supervisor/tracee_memory.hpp"

namespace vigil::supervisor {
namespace {

using policy::Access;

struct ChangeCall {
  std::string syscall;
  Access access;
  int fd = AT_FDCWD;      // the file's fd, or the dirfd of its path
  uint64_t path_addr = 0;  // 0: by fd alone
  bool follow = true;
  int flags = 0;  // fchmodat2's and fchownat's
  int64_t length = 0;
  mode_t mode = 0;
  uint32_t uid = 0, gid = 0;
};

constexpr uint32_t kUnchanged = uint32_t(-1);

// A 32-bit x86 call's argument is 32 bits wide; its 16-bit chown's ids are 16 bits.
uint32_t id16(uint64_t v) { return uint16_t(v) == 0xffff ? kUnchanged : uint16_t(v); }

ChangeCall read_change_call(const seccomp_notif& n, Watched w) {
  const auto* a = n.data.args;
  const bool i386 = n.data.arch == AUDIT_ARCH_I386;
  auto len = [&](uint64_t v) { return i386 ? int64_t(int32_t(v)) : int64_t(v); };
  auto id = [&](uint64_t v) { return i386 && (w == Watched::chown || w == Watched::lchown || w == Watched::fchown) ? id16(v) : uint32_t(v); };
  switch (w) {
    case Watched::truncate: return {"truncate", Access::truncate, AT_FDCWD, a[0], true, 0, len(a[1])};
    case Watched::truncate64: return {"truncate64", Access::truncate, AT_FDCWD, a[0], true, 0, int64_t(a[1] | a[2] << 32)};
    case Watched::ftruncate: return {"ftruncate", Access::truncate, int(a[0]), 0, true, 0, len(a[1])};
    case Watched::ftruncate64: return {"ftruncate64", Access::truncate, int(a[0]), 0, true, 0, int64_t(a[1] | a[2] << 32)};
    case Watched::chmod: return {"chmod", Access::chmod, AT_FDCWD, a[0], true, 0, 0, mode_t(a[1])};
    case Watched::fchmod: return {"fchmod", Access::chmod, int(a[0]), 0, true, 0, 0, mode_t(a[1])};
    case Watched::fchmodat: return {"fchmodat", Access::chmod, int(a[0]), a[1], true, 0, 0, mode_t(a[2])};
    case Watched::fchmodat2: return {"fchmodat2", Access::chmod, int(a[0]), a[1], true, int(a[3]), 0, mode_t(a[2])};
    case Watched::chown:
    case Watched::chown32: return {"chown", Access::chown, AT_FDCWD, a[0], true, 0, 0, 0, id(a[1]), id(a[2])};
    case Watched::lchown:
    case Watched::lchown32: return {"lchown", Access::chown, AT_FDCWD, a[0], false, 0, 0, 0, id(a[1]), id(a[2])};
    case Watched::fchown:
    case Watched::fchown32: return {"fchown", Access::chown, int(a[0]), 0, true, 0, 0, 0, id(a[1]), id(a[2])};
    default: return {"fchownat", Access::chown, int(a[0]), a[1], true, int(a[4]), 0, 0, uint32_t(a[2]), uint32_t(a[3])};
  }
}

// The host's id for the process's `id` (its user namespace's map, as the host reads it; a
// world-readable file, read as the process too).
std::optional<uint32_t> host_id(const Notified& who, bool host_userns, const char* map, uint32_t id) {
  if (id == kUnchanged || host_userns) return id;
  auto text = read_proc_file(who.pid, map);
  if (!text) return std::nullopt;
  return parse_uid_map(*text).host_uid(id);
}

// Makes the change to the file `f`, acting as the process; errno when it fails. A chown's
// ids are the host's.
int change(const Acting& acting, const ChangeCall& call, const Located& f, bool by_fd) {
  const int fd = f.fd.get();
  switch (call.access) {
    case Access::truncate: {
      if (by_fd) return ::ftruncate(fd, call.length) < 0 ? errno : 0;
      auto w = acting.in.reopen(fd, O_WRONLY | O_NOCTTY | O_NONBLOCK);
      if (!w) return w.error().code();
      return ::ftruncate(w->get(), call.length) < 0 ? errno : 0;
    }
    case Access::chmod:
      if (by_fd) return ::fchmod(fd, call.mode) < 0 ? errno : 0;
      return ::fchmodat(acting.in.own_fds(), std::to_string(fd).c_str(), call.mode, 0) < 0 ? errno : 0;
    default:
      if (by_fd) return ::fchown(fd, call.uid, call.gid) < 0 ? errno : 0;
      return ::fchownat(fd, "", call.uid, call.gid, AT_EMPTY_PATH) < 0 ? errno : 0;
  }
}

}  // namespace

void judge_change(const JudgeContext& c, const Notified& who, const seccomp_notif& n, Watched w) {
  ChangeCall call = read_change_call(n, w);
  const bool fd_call = w == Watched::ftruncate || w == Watched::ftruncate64 || w == Watched::fchmod || w == Watched::fchown ||
                       w == Watched::fchown32;
  if (!fd_call && !call.path_addr) return fail_as_kernel(who, EFAULT);
  if (call.access == Access::truncate && call.length < 0) return fail_as_kernel(who, EINVAL);
  if (call.flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return fail_as_kernel(who, EINVAL);
  if (call.flags & AT_SYMLINK_NOFOLLOW) call.follow = false;
  // fchownat and fchmodat2 with AT_EMPTY_PATH and "": the call is on the fd.
  if (call.path_addr && (call.flags & AT_EMPTY_PATH) && empty_path(who, call.path_addr)) call.path_addr = 0;
  const bool by_fd = call.path_addr == 0;
  auto on = on_file(c, who, call.fd, call.path_addr, call.follow);
  if (!on) return;
  if (call.access == Access::chown) {
    auto uid = host_id(who, c.paths->host_userns(), "uid_map", call.uid);
    auto gid = host_id(who, c.paths->host_userns(), "gid_map", call.gid);
    if (!uid || !gid) return fail_as_kernel(who, EINVAL);
    call.uid = *uid;
    call.gid = *gid;
  }
  const Located* f = &on->f;
  if (!by_fd && call.access == Access::truncate && !S_ISREG(f->st.st_mode))
    return fail_as_kernel(who, S_ISDIR(f->st.st_mode) ? EISDIR : EINVAL);
  if (!by_fd && call.access == Access::chmod && S_ISLNK(f->st.st_mode)) return fail_as_kernel(who, EOPNOTSUPP);
  if (refused(c, who, call.syscall, *f, call.access)) return;
  // A chown or chmod by fd whose fd is what the call was on (fchownat's dirfd is O_PATH maybe).
  bool on_taken = by_fd && !(call.flags & AT_EMPTY_PATH);
  if (!on->acting.over({}, {&f->st})) return fail_as_kernel(who, EACCES);
  if (int err = change(on->acting, call, *f, on_taken)) return fail_as_kernel(who, err);
  reply(respond_value(who.listener, who.id, 0));
}

}  // namespace vigil::supervisor
