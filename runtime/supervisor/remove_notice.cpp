// unlink, unlinkat, rmdir under path rules the supervisor judges for delete. The supervisor
// removes the entry itself: acting as the process, in its root, it looks up the directory
// holding it (path_walk.hpp) to an O_PATH fd, judges the entry's path there and the file's
// identity, and removes that name from that directory fd. Nothing is looked up twice, so no
// symlink swapped into the path meanwhile can make it remove another file than the one judged.
#include <fcntl.h>

#include "runtime/supervisor/acting_for.hpp"
#include "runtime/supervisor/respond.hpp"

namespace vigil::supervisor {

void judge_remove(const JudgeContext& c, const Notified& who, const seccomp_notif& n, Watched w) {
  const auto* a = n.data.args;
  std::string syscall = w == Watched::unlink ? "unlink" : w == Watched::rmdir ? "rmdir" : "unlinkat";
  int dirfd = w == Watched::unlinkat ? int(a[0]) : AT_FDCWD;
  uint64_t path_addr = w == Watched::unlinkat ? a[1] : a[0];
  int flags = w == Watched::unlinkat ? int(a[2]) : w == Watched::rmdir ? AT_REMOVEDIR : 0;
  std::string path;
  auto p = gather(c, who, dirfd, path_addr, path);
  if (!p) return;
  auto acting = act_for(c, who, *p);
  if (!acting) return;
  auto e = locate_entry(who, *acting, p->from(), path);
  if (!e) return;
  if (!e->st) return fail_as_kernel(who, ENOENT);
  if (refused(c, who, syscall, e->judged, decide(*c.paths, e->judged, &*e->st, policy::bit(policy::Access::delete_)))) return;
  // A sticky directory asks whether the process may own the file too.
  if (!acting->over({e->dir.get()}, {&*e->st})) return fail_as_kernel(who, EACCES);
  if (::unlinkat(e->dir.get(), e->name.c_str(), flags & AT_REMOVEDIR) < 0) return fail_as_kernel(who, errno);
  reply(respond_value(who.listener, who.id, 0));
}

}  // namespace vigil::supervisor
