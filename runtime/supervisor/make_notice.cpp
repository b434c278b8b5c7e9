// mkdir, mknod, symlink, link and their *at forms under path rules the supervisor judges for
// create. The supervisor makes the entry itself: acting as the process, in its root, it
// looks up the directory that is to hold it (path_walk.hpp) to an O_PATH fd, judges the new
// entry's path there, and makes it in that directory fd, so no symlink swapped into the path
// meanwhile can put it elsewhere. A link's file is looked up once too, and linked by its fd.
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/supervisor/acting_for.hpp"
#include "runtime/supervisor/respond.hpp"

namespace vigil::supervisor {
namespace {

struct MakeCall {
  std::string syscall;
  int dirfd = AT_FDCWD;
  uint64_t path_addr = 0;
  mode_t mode = 0;
  dev_t dev = 0;
  uint64_t target_addr = 0;  // symlink: its content; link: the existing file's path
  int target_dirfd = AT_FDCWD;
  int flags = 0;  // linkat's
};

MakeCall read_make_call(const seccomp_notif& n, Watched w) {
  const auto* a = n.data.args;
  switch (w) {
    case Watched::mkdir: return {"mkdir", AT_FDCWD, a[0], mode_t(a[1])};
    case Watched::mkdirat: return {"mkdirat", int(a[0]), a[1], mode_t(a[2])};
    case Watched::mknod: return {"mknod", AT_FDCWD, a[0], mode_t(a[1]), dev_t(a[2])};
    case Watched::mknodat: return {"mknodat", int(a[0]), a[1], mode_t(a[2]), dev_t(a[3])};
    case Watched::symlink: return {"symlink", AT_FDCWD, a[1], 0, 0, a[0]};
    case Watched::symlinkat: return {"symlinkat", int(a[1]), a[2], 0, 0, a[0]};
    case Watched::link: return {"link", AT_FDCWD, a[1], 0, 0, a[0]};
    default: return {"linkat", int(a[2]), a[3], 0, 0, a[1], int(a[0]), int(a[4])};
  }
}

bool is_link(Watched w) { return w == Watched::link || w == Watched::linkat; }

// What a link is to name, as the process gave it: a path and where it starts, or (with
// AT_EMPTY_PATH and "") the fd alone, in `base`. Read before the thread acts as the process,
// which may not read its memory or take its fds. False when answered.
bool read_source(const Notified& who, const Process& p, const MakeCall& call, std::string& path, unique_fd& base) {
  if (call.flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return fail_as_kernel(who, EINVAL), false;
  if ((call.flags & AT_EMPTY_PATH) && empty_path(who, call.target_addr)) {
    // Linking a file by its fd alone takes CAP_DAC_READ_SEARCH.
    if (!(p.identity.capabilities & (uint64_t(1) << CAP_DAC_READ_SEARCH))) return fail_as_kernel(who, ENOENT), false;
    return take_dirfd(who, call.target_dirfd, base);
  }
  return read_path(who, call.target_dirfd, call.target_addr, path, base);
}

}  // namespace

void judge_make(const JudgeContext& c, const Notified& who, const seccomp_notif& n, Watched w) {
  const MakeCall call = read_make_call(n, w);
  std::string path;
  auto p = gather(c, who, call.dirfd, call.path_addr, path);
  if (!p) return;
  std::string source_path, target;
  unique_fd source_base;
  if (is_link(w) && !read_source(who, *p, call, source_path, source_base)) return;
  if ((w == Watched::symlink || w == Watched::symlinkat) && !read_name(who, call.target_addr, target)) return;
  auto acting = act_for(c, who, *p);
  if (!acting) return;
  std::optional<Located> source;
  if (is_link(w)) {
    source = source_path.empty() ? locate_fd(who, acting->in, source_base)
                                 : locate_file(who, *acting, p->from(source_base), source_path, call.flags & AT_SYMLINK_FOLLOW);
    if (!source) return;
    if (S_ISDIR(source->st.st_mode)) return fail_as_kernel(who, EPERM);
  }
  auto e = locate_entry(who, *acting, p->from(), path);
  if (!e) return;
  if (e->st) return fail_as_kernel(who, EEXIST);
  // Only a directory's name may end in a slash.
  bool mkdir = w == Watched::mkdir || w == Watched::mkdirat;
  if (!mkdir && path.back() == '/') return fail_as_kernel(who, ENOENT);
  if (refused(c, who, call.syscall, e->judged, decide(*c.paths, e->judged, nullptr, policy::bit(policy::Access::create)))) return;
  const int dir = e->dir.get();
  const char* name = e->name.c_str();
  // A link's file counts too (protected_hardlinks asks whether the process may own it).
  if (!(source ? acting->over({dir}, {&source->st}) : acting->over({dir}))) return fail_as_kernel(who, EACCES);
  int rc = mkdir ? ::mkdirat(dir, name, call.mode)
           : source ? ::linkat(acting->in.own_fds(), std::to_string(source->fd.get()).c_str(), dir, name, AT_SYMLINK_FOLLOW)
           : !target.empty() ? ::symlinkat(target.c_str(), dir, name)
                             : ::mknodat(dir, name, call.mode, call.dev);
  if (rc < 0) return fail_as_kernel(who, errno);
  reply(respond_value(who.listener, who.id, 0));
}

}  // namespace vigil::supervisor
