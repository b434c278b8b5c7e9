// open, openat, openat2, creat under path rules the supervisor judges. The supervisor opens
// the file itself: a thread in the process's root, acting as the process (act_as.hpp), looks
// the path up (path_walk.hpp) to an O_PATH fd; the rules are judged on what that fd is (its
// path as the container sees it, and its identity); the same fd is opened again with the
// process's flags and installed in the process with SECCOMP_ADDFD_FLAG_SEND. Nothing is
// looked up twice, so no symlink swapped in between can change what the process gets.
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>

#include <climits>
#include <cstring>
#include <memory>

#include "runtime/supervisor/acting_for.hpp"
#include "runtime/supervisor/in_root.hpp"
#include "runtime/supervisor/respond.hpp"
#include "runtime/supervisor/tracee_memory.hpp"

namespace vigil::supervisor {
namespace {

using policy::Access;
using policy::Action;

struct OpenCall {
  std::string syscall;
  int dirfd = AT_FDCWD;
  uint64_t path_addr = 0;
  uint64_t flags = 0;
  mode_t mode = 0;
  uint64_t resolve = 0;  // openat2's
};

// A create that meets a file made meanwhile looks the path up again, this often at most.
constexpr int kTries = 3;
// Flags that only steer the lookup and the create, which the supervisor has done.
constexpr uint64_t kLookupFlags = O_CREAT | O_EXCL | O_NOFOLLOW;

// The process's call, as the kernel reads it; nullopt (answered) when it cannot be read.
std::optional<OpenCall> read_open_call(const Notified& who, const seccomp_notif& n, Watched w) {
  const auto* a = n.data.args;
  switch (w) {
    case Watched::open: return OpenCall{"open", AT_FDCWD, a[0], a[1], mode_t(a[2])};
    case Watched::openat: return OpenCall{"openat", int(a[0]), a[1], a[2], mode_t(a[3])};
    case Watched::creat: return OpenCall{"creat", AT_FDCWD, a[0], O_CREAT | O_WRONLY | O_TRUNC, mode_t(a[1])};
    case Watched::openat2: {
      open_how how{};
      if (a[3] < sizeof how) return fail_as_kernel(who, EINVAL), std::nullopt;
      auto bytes = read_bytes(who.listener, who.id, who.pid, a[2], sizeof how);
      if (!bytes) return fail_as_kernel(who, bytes.error().code()), std::nullopt;
      std::memcpy(&how, bytes->data(), sizeof how);
      return OpenCall{"openat2", int(a[0]), a[1], how.flags, mode_t(how.mode), how.resolve};
    }
    default: return fail_as_kernel(who, ENOSYS), std::nullopt;
  }
}

// The accesses an open asks for, of the file `st` (nullptr: one it would create).
policy::AccessSet accesses_of(uint64_t flags, const struct stat* st) {
  policy::AccessSet out = 0;
  int mode = int(flags & O_ACCMODE);
  bool dir = st && S_ISDIR(st->st_mode);
  bool tmpfile = (flags & __O_TMPFILE) == __O_TMPFILE;
  if ((mode == O_RDONLY || mode == O_RDWR) && !tmpfile) out |= policy::bit(dir ? Access::list : Access::read);
  if (mode == O_WRONLY || mode == O_RDWR) out |= policy::bit(Access::write);
  if ((flags & O_TRUNC) && (!st || S_ISREG(st->st_mode))) out |= policy::bit(Access::truncate);
  if (!st || tmpfile) out |= policy::bit(Access::create);
  return out;
}

// The file's own flags for the process: what was asked, but O_NOCTTY always (the supervisor
// is a session leader, and no terminal is to become its own).
int reopen_flags(uint64_t flags) { return int((flags & ~kLookupFlags) | O_NOCTTY); }

// A FIFO or a device, whose open may wait for another process: on a thread of its own
// (blocking_opens.hpp), which answers.
void open_waiting(const JudgeContext& c, const Notified& who, uint64_t flags, const Process& p, unique_fd opath, bool mapped) {
  struct Job {
    Notified who;
    unique_fd root, opath;
    Identity identity;
    uint64_t flags;
    bool mapped;
  };
  // The root the monitor thread is in, the process's, for the thread that opens.
  unique_fd root(::openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  auto job = std::make_shared<Job>(Job{who, std::move(root), std::move(opath), p.identity, flags, mapped});
  bool started = job->root && c.paths->blocking().start(who.listener, who.id, who.pid, [job] {
    auto in = InRoot::enter(job->root.get());
    if (!in) return fail_as_kernel(job->who, EACCES);
    auto as = ActingAs::take(job->identity);
    if (!as || !as->over(job->mapped).ok()) return fail_as_kernel(job->who, EACCES);
    // EINTR: the process left its syscall, and no answer reaches it.
    auto fd = in->reopen(job->opath.get(), reopen_flags(job->flags));
    if (!fd) return fail_as_kernel(job->who, fd.error().code());
    reply(respond_fd(job->who.listener, job->who.id, fd->get(), job->flags & O_CLOEXEC));
  });
  if (!started) fail_as_kernel(who, ENFILE);
}

// What open_for found: the open file, or an O_PATH fd of one to open on a thread of its own.
struct Opened {
  unique_fd fd;
  bool waits = false;
  bool mapped = true;  // one that waits: whether its user namespace maps the file
};

// Opens the path for the process; answers everything but a success, which it returns.
std::optional<Opened> open_for(const JudgeContext& c, const Notified& who, const OpenCall& call,
                                  const std::string& path, const Process& p) {
  PathsJudge& pj = *c.paths;
  auto acting = act_for(c, who, p);
  if (!acting) return std::nullopt;
  const InRoot* in = &acting->in;
  const WalkFrom from = acting->walking(p.from());
  bool excl = (call.flags & O_CREAT) && (call.flags & O_EXCL);
  bool follow = !(call.flags & O_NOFOLLOW) && !excl;
  for (int tries = 1;; tries++) {
    auto w = call.resolve ? walk_resolved(from, path, follow, call.resolve) : walk_path(from, path, follow);
    if (!w) return fail_as_kernel(who, w.error().code()), std::nullopt;
    if (w->fd) {
      const struct stat& st = w->st;
      int err = excl ? EEXIST
                : S_ISLNK(st.st_mode) ? ELOOP
                : (call.flags & O_DIRECTORY) && !S_ISDIR(st.st_mode) ? ENOTDIR
                : S_ISDIR(st.st_mode) && (call.flags & O_ACCMODE) != O_RDONLY && (call.flags & __O_TMPFILE) != __O_TMPFILE ? EISDIR
                : 0;
      if (err) return fail_as_kernel(who, err), std::nullopt;
      auto judged = w->path.empty() ? in->path_of(w->fd.get()) : Result<std::string>(std::move(w->path));
      if (!judged) return fail_as_kernel(who, EACCES), std::nullopt;
      // An O_TMPFILE file is made in the directory: judged as an entry of it ("/tmp/").
      bool tmpfile = (call.flags & __O_TMPFILE) == __O_TMPFILE;
      if (tmpfile && judged->back() != '/') *judged += '/';
      if (refused(c, who, call.syscall, *judged, decide(pj, *judged, &st, accesses_of(call.flags, &st)))) return std::nullopt;
      if (!acting->over({}, {&st})) return fail_as_kernel(who, EACCES), std::nullopt;
      if (tmpfile) {
        unique_fd fd(::openat(w->fd.get(), ".", reopen_flags(call.flags) | O_CLOEXEC, call.mode));
        if (!fd) return fail_as_kernel(who, errno), std::nullopt;
        return Opened{std::move(fd)};
      }
      if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return Opened{std::move(w->fd), true, pj.maps(st)};
      auto fd = in->reopen(w->fd.get(), reopen_flags(call.flags));
      if (!fd) return fail_as_kernel(who, fd.error().code()), std::nullopt;
      return Opened{std::move(*fd)};
    }
    if (!(call.flags & O_CREAT)) return fail_as_kernel(who, ENOENT), std::nullopt;
    auto dir = in->path_of(w->parent.get());
    if (!dir) return fail_as_kernel(who, EACCES), std::nullopt;
    std::string judged = (*dir == "/" ? "" : *dir) + "/" + w->name;
    if (refused(c, who, call.syscall, judged, decide(pj, judged, nullptr, accesses_of(call.flags, nullptr)))) return std::nullopt;
    if (!acting->over({w->parent.get()})) return fail_as_kernel(who, EACCES), std::nullopt;
    unique_fd fd(::openat(w->parent.get(), w->name.c_str(), reopen_flags(call.flags) | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                          call.mode));
    if (fd) return Opened{std::move(fd)};
    // Made meanwhile: it is an open of an existing file after all.
    if (errno != EEXIST || (call.flags & O_EXCL) || tries == kTries) return fail_as_kernel(who, errno), std::nullopt;
  }
}

}  // namespace

void judge_open(const JudgeContext& c, const Notified& who, const seccomp_notif& n, Watched w) {
  PathsJudge& pj = *c.paths;
  auto call = read_open_call(who, n, w);
  if (!call) return;
  // What no rule the supervisor holds is about runs as it asked: an O_PATH fd reads and
  // writes nothing, and what Landlock holds it holds. (Whether a file is a directory, to be
  // listed rather than read, is not known yet: both count, but with O_DIRECTORY.)
  policy::AccessSet asked = accesses_of(call->flags, nullptr);
  if (asked & policy::bit(Access::read))
    asked = (asked & ~(call->flags & O_DIRECTORY ? policy::bit(Access::read) : 0)) | policy::bit(Access::list);
  if (!(call->flags & O_CREAT) && (call->flags & __O_TMPFILE) != __O_TMPFILE) asked &= ~policy::bit(Access::create);
  if ((call->flags & O_PATH) || !(asked & pj.judged())) return reply(respond_continue(who.listener, who.id));
  std::string path;
  auto p = gather(c, who, call->dirfd, call->path_addr, path);
  if (!p) return;
  auto opened = open_for(c, who, *call, path, *p);
  if (!opened) return;
  // Started here, as the supervisor again: a thread starts with its maker's identity.
  if (opened->waits) return open_waiting(c, who, call->flags, *p, std::move(opened->fd), opened->mapped);
  reply(respond_fd(who.listener, who.id, opened->fd.get(), call->flags & O_CLOEXEC));
}

}  // namespace vigil::supervisor
