#include "runtime/supervisor/path_walk.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <sys/sysmacros.h>

#include <climits>
#include <deque>
#include <unordered_map>
#include <vector>

namespace vigil::supervisor {
namespace {

// As the kernel's MAXSYMLINKS.
constexpr int kMaxLinks = 40;
constexpr ino_t kProcRootIno = 1;
constexpr unsigned kStatxMntIdUnique = 0x4000;  // STATX_MNT_ID_UNIQUE, Linux 6.8
// Mounts whose filesystem type is remembered, at most.
constexpr size_t kMaxMounts = 1024;

bool on_proc(int fd) {
  struct statfs fs;
  return ::fstatfs(fd, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
}

// What `fd` is, and whether it is on a procfs: known by its mount, whose unique id (Linux 6.8)
// is never reused, once per mount; each time by fstatfs where the kernel has no such ids.
Result<struct stat> stat_and_proc(int fd, bool& proc) {
  thread_local std::unordered_map<uint64_t, bool> proc_mounts;
  struct statx sx;
  if (::statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS | kStatxMntIdUnique, &sx) < 0) return Error::from_errno("statx");
  struct stat st {};
  st.st_dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
  st.st_ino = sx.stx_ino;
  st.st_mode = sx.stx_mode;
  st.st_nlink = sx.stx_nlink;
  st.st_uid = sx.stx_uid;
  st.st_gid = sx.stx_gid;
  st.st_rdev = makedev(sx.stx_rdev_major, sx.stx_rdev_minor);
  st.st_size = off_t(sx.stx_size);
  if (!(sx.stx_mask & kStatxMntIdUnique)) return proc = on_proc(fd), st;
  auto [it, added] = proc_mounts.try_emplace(sx.stx_mnt_id, false);
  if (added) {
    if (proc_mounts.size() > kMaxMounts) proc_mounts.clear(), it = proc_mounts.emplace(sx.stx_mnt_id, false).first;
    it->second = on_proc(fd);
  }
  proc = it->second;
  return st;
}

bool is_proc_root(int fd) {
  struct stat st;
  return on_proc(fd) && ::fstat(fd, &st) == 0 && st.st_ino == kProcRootIno;
}

bool all_digits(std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; }

bool same_dir(int a, int b) {
  struct statx x, y;
  return ::statx(a, "", AT_EMPTY_PATH, STATX_INO | STATX_MNT_ID, &x) == 0 &&
         ::statx(b, "", AT_EMPTY_PATH, STATX_INO | STATX_MNT_ID, &y) == 0 && x.stx_ino == y.stx_ino &&
         x.stx_dev_major == y.stx_dev_major && x.stx_dev_minor == y.stx_dev_minor && x.stx_mnt_id == y.stx_mnt_id;
}

Result<unique_fd> dup_fd(int fd) {
  unique_fd out(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
  if (!out) return Error::from_errno("dup");
  return out;
}

// The components of `path`, empty ones dropped.
std::vector<std::string_view> components(std::string_view path) {
  std::vector<std::string_view> out;
  for (size_t at = 0; at <= path.size();) {
    size_t end = std::min(path.find('/', at), path.size());
    if (end > at) out.push_back(path.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

// Pushes the components of `path` in front of `todo`.
void push_front(std::deque<std::string>& todo, std::string_view path) {
  auto parts = components(path);
  todo.insert(todo.begin(), parts.begin(), parts.end());
}

// An absolute path met no symlink: the path it names, as readlink of it would say.
std::string lexical(std::string_view path) {
  std::vector<std::string_view> parts;
  for (auto part : components(path)) {
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (part != ".") {
      parts.push_back(part);
    }
  }
  std::string out;
  for (auto part : parts) out.append("/").append(part);
  return out.empty() ? "/" : out;
}

// The kernel's own lookup: right, and one call, for a path that meets neither a magic link
// nor /proc (where "self" would be the supervisor).

Result<Walked> kernel_lookup(const WalkFrom& from, std::string_view path, bool follow_last,
                             uint64_t resolve = RESOLVE_NO_MAGICLINKS) {
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC | (follow_last ? 0 : O_NOFOLLOW);
  std::string p(path);
  // An absolute path is tried without symlinks first: found so, it names itself, and
  // nobody need ask the kernel what it is called.
  bool plain = p[0] == '/' && resolve == RESOLVE_NO_MAGICLINKS;
  how.resolve = plain ? resolve | RESOLVE_NO_SYMLINKS : resolve;
  unique_fd fd(int(::syscall(SYS_openat2, p[0] == '/' ? AT_FDCWD : from.base, p.c_str(), &how, sizeof how)));
  if (!fd && plain && errno == ELOOP) {
    plain = false;
    how.resolve = resolve;
    fd = unique_fd(int(::syscall(SYS_openat2, AT_FDCWD, p.c_str(), &how, sizeof how)));
  }
  if (!fd) return Error::from_errno("openat2 " + p);
  bool proc = false;
  auto st = TRY(stat_and_proc(fd.get(), proc));
  if (proc) return Error(EXDEV, p + " is in /proc");
  return Walked{std::move(fd), {}, {}, st, plain ? lexical(p) : ""};
}

}  // namespace

Result<Walked> walk_path(const WalkFrom& from, std::string_view path, bool follow_last) {
  if (path.empty()) return Error(ENOENT, "an empty path");
  if (auto w = kernel_lookup(from, path, follow_last)) return w;
  std::deque<std::string> todo;
  push_front(todo, path);
  bool must_be_dir = path.back() == '/';
  // The root, as the thread has it: the process's.
  unique_fd root(::openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return Error::from_errno("open the root");
  unique_fd cur = TRY(dup_fd(path[0] == '/' ? root.get() : from.base));
  std::string owner;  // the pid whose /proc directory the walk is in, if it is in one
  int links = 0;
  while (!todo.empty()) {
    std::string comp = std::move(todo.front());
    todo.pop_front();
    bool last = todo.empty();
    if (comp == ".") continue;
    if (from.searching && !from.searching(cur.get())) return Error(EACCES, "capabilities for " + comp);
    if (comp == "..") {
      if (same_dir(cur.get(), root.get())) continue;
      unique_fd up(::openat(cur.get(), "..", O_PATH | O_DIRECTORY | O_CLOEXEC));
      if (!up) return Error::from_errno("openat ..");
      cur = std::move(up);
      if (owner.size() && is_proc_root(cur.get())) owner.clear();
      continue;
    }
    if ((comp == "self" || comp == "thread-self") && is_proc_root(cur.get())) {
      push_front(todo, comp == "self" ? from.tgid : from.tgid + "/task/" + from.tid);
      continue;
    }
    if (all_digits(comp) && is_proc_root(cur.get())) owner = comp;
    unique_fd next(::openat(cur.get(), comp.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (!next) {
      if (errno == ENOENT && last && !must_be_dir) return Walked{{}, std::move(cur), comp, {}, {}};
      return Error::from_errno("openat " + comp);
    }
    struct stat st;
    if (::fstat(next.get(), &st) < 0) return Error::from_errno("fstat " + comp);
    if (S_ISLNK(st.st_mode) && (!last || follow_last || must_be_dir)) {
      if (++links > kMaxLinks) return Error(ELOOP, "too many symlinks");
      if (on_proc(cur.get()) && !is_proc_root(cur.get())) {
        // A magic link: followed by the kernel, for the process's own /proc entries only.
        if (owner != from.tgid && owner != from.tid) return Error(EACCES, "another process's /proc/" + owner + "/" + comp);
        unique_fd target(::openat(cur.get(), comp.c_str(), O_PATH | O_CLOEXEC));
        if (!target) return Error::from_errno("follow /proc/" + owner + "/" + comp);
        if (::fstat(target.get(), &st) < 0) return Error::from_errno("fstat " + comp);
        if (!last && !S_ISDIR(st.st_mode)) return Error(ENOTDIR, comp + " is not a directory");
        cur = std::move(target);
        if (!on_proc(cur.get())) owner.clear();
        continue;
      }
      // fs.protected_symlinks, as the kernel applies it to the process: a symlink in a
      // sticky world-writable directory is followed by its owner, or when it has the
      // directory's owner.
      struct stat dir;
      if (from.protected_symlinks && ::fstat(cur.get(), &dir) == 0 &&
          (dir.st_mode & (S_ISVTX | S_IWOTH)) == (S_ISVTX | S_IWOTH) && st.st_uid != dir.st_uid &&
          st.st_uid != uid_t(::syscall(SYS_setfsuid, -1)))
        return Error(EACCES, comp + ": another user's symlink in a sticky directory");
      char buf[PATH_MAX];
      ssize_t n = ::readlinkat(next.get(), "", buf, sizeof buf);
      if (n <= 0) return n < 0 ? Error::from_errno("readlink " + comp) : Error(ENOENT, comp + ": an empty symlink");
      std::string_view target(buf, size_t(n));
      if (last && target.back() == '/') must_be_dir = true;
      push_front(todo, target);
      if (target[0] == '/') {
        cur = TRY(dup_fd(root.get()));
        owner.clear();
      }
      continue;
    }
    if (!last && !S_ISDIR(st.st_mode)) return Error(ENOTDIR, comp + " is not a directory");
    cur = std::move(next);
    if (owner.size() && !on_proc(cur.get())) owner.clear();
  }
  struct stat st;
  if (::fstat(cur.get(), &st) < 0) return Error::from_errno("fstat " + std::string(path));
  if (must_be_dir && !S_ISDIR(st.st_mode)) return Error(ENOTDIR, std::string(path) + " is not a directory");
  return Walked{std::move(cur), {}, {}, st, {}};
}

Result<Walked> walk_resolved(const WalkFrom& from, std::string_view path, bool follow_last, uint64_t resolve) {
  if (path.empty()) return Error(ENOENT, "an empty path");
  auto fd = kernel_lookup(from, path, follow_last, resolve);
  if (fd) return fd;
  if (fd.error().code() == EXDEV && !(resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT | RESOLVE_NO_XDEV)))
    return Error(EACCES, std::string(path) + " is in /proc");
  if (fd.error().code() != ENOENT) return fd.error();
  // Where it would be made: its directory, looked up the same way.
  auto slash = path.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::string dir = slash == std::string_view::npos ? "." : slash == 0 ? "/" : std::string(path.substr(0, slash));
  if (name.empty() || name == "." || name == "..") return fd.error();
  auto parent = TRY(kernel_lookup(from, dir, true, resolve));
  return Walked{{}, std::move(parent.fd), std::string(name), {}, {}};
}

}  // namespace vigil::supervisor
