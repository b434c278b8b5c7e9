// rename, renameat, renameat2 under path rules the supervisor judges for rename. The
// supervisor renames the entry itself: acting as the process, in its root, it looks up both
// directories (path_walk.hpp) to O_PATH fds, judges both ends there (the file that moves, and
// the one it replaces, which is removed: delete too), and renames between those fds. Nothing
// is looked up twice, so no symlink swapped into either path meanwhile can make it move
// another file, or to another place, than the ones judged.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime/supervisor/acting_for.hpp"
#include "runtime/supervisor/respond.hpp"

namespace vigil::supervisor {

void judge_rename(const JudgeContext& c, const Notified& who, const seccomp_notif& n, Watched w) {
  using policy::Access;
  const auto* a = n.data.args;
  bool at = w != Watched::rename;
  std::string syscall = w == Watched::rename ? "rename" : w == Watched::renameat ? "renameat" : "renameat2";
  int old_dirfd = at ? int(a[0]) : AT_FDCWD, new_dirfd = at ? int(a[2]) : AT_FDCWD;
  uint64_t old_addr = at ? a[1] : a[0], new_addr = at ? a[3] : a[1];
  unsigned flags = w == Watched::renameat2 ? unsigned(a[4]) : 0;
  std::string from_path, to_path;
  auto p = gather(c, who, old_dirfd, old_addr, from_path);
  if (!p) return;
  unique_fd to_base;
  if (!read_path(who, new_dirfd, new_addr, to_path, to_base)) return;
  auto acting = act_for(c, who, *p);
  if (!acting) return;
  auto from = locate_entry(who, *acting, p->from(), from_path);
  if (!from) return;
  auto to = locate_entry(who, *acting, p->from(to_base), to_path);
  if (!to) return;
  if (!from->st || ((flags & RENAME_EXCHANGE) && !to->st)) return fail_as_kernel(who, ENOENT);
  if ((flags & RENAME_NOREPLACE) && to->st) return fail_as_kernel(who, EEXIST);
  if (from_path.back() == '/' && !S_ISDIR(from->st->st_mode)) return fail_as_kernel(who, ENOTDIR);
  const auto rename = policy::bit(Access::rename);
  // Replaced, the file at the new name is removed; exchanged, it moves too.
  const auto at_to = rename | (to->st && !(flags & RENAME_EXCHANGE) ? policy::bit(Access::delete_) : 0);
  if (refused(c, who, syscall, from->judged, decide(*c.paths, from->judged, &*from->st, rename))) return;
  if (refused(c, who, syscall, to->judged, decide(*c.paths, to->judged, to->st ? &*to->st : nullptr, at_to))) return;
  // Sticky directories ask whether the process may own the files too.
  const std::initializer_list<int> dirs = {from->dir.get(), to->dir.get()};
  if (!(to->st ? acting->over(dirs, {&*from->st, &*to->st}) : acting->over(dirs, {&*from->st}))) return fail_as_kernel(who, EACCES);
  if (::syscall(SYS_renameat2, from->dir.get(), from->name.c_str(), to->dir.get(), to->name.c_str(), flags) < 0)
    return fail_as_kernel(who, errno);
  reply(respond_value(who.listener, who.id, 0));
}

}  // namespace vigil::supervisor
