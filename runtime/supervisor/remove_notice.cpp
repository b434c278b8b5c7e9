// unlink, unlinkat, rmdir under path rules the supervisor judges for delete. The supervisor
// removes the entry itself: acting as the process, in its root, it looks up the directory
// holding it (path_walk.hpp) to an O_PATH fd, judges the entry's path there and the file's
// identity, and removes that name from that directory fd. Nothing is looked up twice, so no
// symlink swapped into the path meanwhile can make it remove another file than the one judged.
#include <fcntl.h>
#include <sys/stat.h>

#include "runtime/supervisor/acting_for.hpp"
#include "runtime/supervisor/in_root.hpp"
#include "runtime/supervisor/respond.hpp"

namespace vigil::supervisor {
namespace {

// `path` as the directory that holds its last component, and that component ("a/b/" →
// "a", "b"; "b" → ".", "b"; "/" → "/", ".").
std::pair<std::string, std::string> split_last(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return {".", path};
  if (path == "/") return {"/", "."};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

}  // namespace

void judge_remove(const JudgeContext& c, const Notified& who, const seccomp_notif& n, Watched w) {
  const auto* a = n.data.args;
  std::string syscall = w == Watched::unlink ? "unlink" : w == Watched::rmdir ? "rmdir" : "unlinkat";
  int dirfd = w == Watched::unlinkat ? int(a[0]) : AT_FDCWD;
  uint64_t path_addr = w == Watched::unlinkat ? a[1] : a[0];
  int flags = w == Watched::unlinkat ? int(a[2]) : w == Watched::rmdir ? AT_REMOVEDIR : 0;
  std::string path;
  auto p = gather(c, who, dirfd, path_addr, path);
  if (!p) return;
  auto in = InRoot::enter(p->root.get());
  if (!in) return fail_as_kernel(who, EACCES);
  auto as = ActingAs::take(p->identity);
  if (!as) return fail_as_kernel(who, EACCES);
  auto [dir, name] = split_last(path);
  auto walked = walk_path(p->from(), dir, true);
  if (!walked) return fail_as_kernel(who, walked.error().code());
  if (!walked->fd) return fail_as_kernel(who, ENOENT);
  const int parent = walked->fd.get();
  struct stat st;
  if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) return fail_as_kernel(who, errno);
  auto where = in->path_of(parent);
  if (!where) return fail_as_kernel(who, EACCES);
  std::string judged = (*where == "/" ? "" : *where) + "/" + name;
  if (refused(c, who, syscall, judged, decide(*c.paths, judged, &st, policy::bit(policy::Access::delete_)))) return;
  if (::unlinkat(parent, name.c_str(), flags & AT_REMOVEDIR) < 0) return fail_as_kernel(who, errno);
  reply(respond_value(who.listener, who.id, 0));
}

}  // namespace vigil::supervisor
