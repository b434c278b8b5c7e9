#include "runtime/supervisor/in_root.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>

#include "runtime/supervisor/tracee_files.hpp"

namespace vigil::supervisor {
namespace {

// The thread's fd table, opened while it still has the supervisor's root, and the root it
// is in: a judging thread stays in the last process's root, which the next one most likely
// shares (a container's processes do), so entering it again costs one statx.
struct ThreadState {
  unique_fd own_fds;  // /proc/self/fd: reads back paths and reopens O_PATH fds
  unique_fd root;     // the root it is in, also its cwd
  bool ready = false;
  bool in_root = false;
  RootId id;  // of the root it is in
};

Result<ThreadState*> thread_state() {
  thread_local ThreadState s;
  if (s.ready) return &s;
  if (::unshare(CLONE_FS) < 0) return Error::from_errno("supervisor: unshare the thread's fs");
  // By the host's /proc: a new thread starts in the root of the thread that made it.
  s.own_fds = unique_fd(::openat(host_proc(), "self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!s.own_fds) return Error::from_errno("supervisor: open /proc/self/fd");
  s.ready = true;
  return &s;
}

Status set_root(int dir) {
  if (::fchdir(dir) < 0 || ::chroot(".") < 0) return Error::from_errno("supervisor: enter the process's root");
  return {};
}

Result<std::string> fd_path(int own_fds, int fd) {
  char buf[PATH_MAX + 1];
  ssize_t n = ::readlinkat(own_fds, std::to_string(fd).c_str(), buf, sizeof buf - 1);
  if (n < 0) return Error::from_errno("readlink fd " + std::to_string(fd));
  return std::string(buf, size_t(n));
}

constexpr std::string_view kDeleted = " (deleted)";

std::string parent_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

Result<RootId> identify(int dirfd, const char* path, int flags) {
  struct statx sx;
  if (::statx(dirfd, path, flags, STATX_INO | STATX_MNT_ID, &sx) < 0 || !(sx.stx_mask & STATX_MNT_ID))
    return Error::from_errno("supervisor: statx the process's root");
  return RootId{makedev(sx.stx_dev_major, sx.stx_dev_minor), sx.stx_ino, sx.stx_mnt_id};
}

Status enter_at(ThreadState* s, int root, const RootId& id) {
  if (s->in_root && s->id == id) return {};
  // A thread left between roots judges nothing more.
  s->in_root = false;
  TRY(set_root(root));
  s->root = unique_fd(::fcntl(root, F_DUPFD_CLOEXEC, 0));
  if (!s->root) return Error::from_errno("supervisor: keep the process's root");
  s->in_root = true;
  s->id = id;
  return {};
}

}  // namespace

Result<RootId> root_of(pid_t pid) { return identify(host_proc(), (std::to_string(pid) + "/root").c_str(), 0); }

Result<InRoot> InRoot::enter(int root) {
  ThreadState* s = TRY(thread_state());
  TRY(enter_at(s, root, TRY(identify(root, "", AT_EMPTY_PATH))));
  return InRoot();
}

Result<InRoot> InRoot::enter(const RootId& id, pid_t pid) {
  ThreadState* s = TRY(thread_state());
  if (s->in_root && s->id == id) return InRoot();
  unique_fd root(::openat(host_proc(), (std::to_string(pid) + "/root").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return Error::from_errno("supervisor: open the root of pid " + std::to_string(pid));
  if (TRY(identify(root.get(), "", AT_EMPTY_PATH)) != id) return Error(EAGAIN, "pid " + std::to_string(pid) + " changed its root");
  TRY(enter_at(s, root.get(), id));
  return InRoot();
}

Result<verify::OpenFile> InRoot::open(int base, const std::string& path, bool nofollow, bool want_dir) const {
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0);
  how.resolve = RESOLVE_NO_MAGICLINKS;
  unique_fd fd(int(::syscall(SYS_openat2, base, path.c_str(), &how, sizeof how)));
  if (!fd) return Error::from_errno("open " + path);
  auto f = TRY(adopt(std::move(fd), want_dir));
  // Renamed over or removed between the lookup and reading its name back: the name judged
  // would not be the one looked up.
  if (f.path.ends_with(kDeleted)) return Error(EAGAIN, path + " was replaced while it was looked up");
  return f;
}

Result<std::string> InRoot::path_of(int fd) const { return fd_path(own_fds(), fd); }

int InRoot::by_name(int fd, const std::function<int(const char*)>& call) const {
  ThreadState* s = *thread_state();
  if (::fchdir(s->own_fds.get()) < 0) return -1;
  int rc = call(std::to_string(fd).c_str());
  int err = errno;
  // Back to the root, or judging nothing more until it enters one again.
  if (::fchdir(s->root.get()) < 0) s->in_root = false;
  errno = err;
  return rc;
}

int InRoot::own_fds() const { return (*thread_state())->own_fds.get(); }

Result<unique_fd> InRoot::reopen(int fd, int flags) const {
  unique_fd out(::openat(own_fds(), std::to_string(fd).c_str(), flags | O_CLOEXEC));
  if (!out) return Error::from_errno("reopen fd " + std::to_string(fd));
  return out;
}

Result<verify::OpenFile> InRoot::adopt(unique_fd fd, bool want_dir) const {
  verify::OpenFile f;
  if (::fstat(fd.get(), &f.st) < 0) return Error::from_errno("fstat");
  // What execve and mmap would refuse as well, and a FIFO must never be opened for reading.
  if (S_ISLNK(f.st.st_mode)) return Error(ELOOP, "a symlink, not to be followed");
  if (!S_ISREG(f.st.st_mode)) return Error(EACCES, "not a regular file");
  f.path = TRY(path_of(fd.get()));
  f.fileless = f.st.st_nlink == 0;
  // Read only if its facts are not cached yet, on this thread, still in this root.
  f.reopen = [path = f.path](int o_path) { return with_context(InRoot().reopen(o_path, O_RDONLY | O_NOCTTY), path); };
  if (want_dir && !f.fileless) {
    open_how how{};
    how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
    how.resolve = RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS;
    unique_fd dir(int(::syscall(SYS_openat2, AT_FDCWD, parent_of(f.path).c_str(), &how, sizeof how)));
    struct stat st;
    if (dir && ::fstat(dir.get(), &st) == 0) f.dir = st;
  }
  f.fd = std::move(fd);
  return f;
}

}  // namespace vigil::supervisor
