// Looking a path up exactly as a container's process would. openat2's RESOLVE_IN_ROOT takes
// its dirfd as the root, which is right for absolute paths but clamps `..` of a relative one
// at the cwd; so the judging thread instead takes the process's root as its own (a fs
// struct of its own, unshared once per thread): absolute paths, `..` and absolute symlinks
// then stay in the container's root, relative ones start at the process's cwd or dirfd, and
// a path read back from an fd is the one the container sees. Magic links (/proc/self/exe)
// would be resolved as the supervisor and are refused (ELOOP).
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"
#include "runtime/verify/check.hpp"

namespace vigil::supervisor {

// The thread stays in that root afterwards (the next process most likely shares it): a
// thread that has entered a root must reach the host's files by fd only (host_proc()).
// A root directory, as statx tells it apart: a judging thread already in it enters it free.
struct RootId {
  uint64_t dev = 0, ino = 0, mnt_id = 0;
  bool operator==(const RootId&) const = default;
};
// The root of process `pid` (by the host's /proc), unproven until the caller checks the
// notification.
Result<RootId> root_of(pid_t pid);

class InRoot {
 public:
  // The calling thread enters `root` (an O_PATH fd of the process's root).
  static Result<InRoot> enter(int root);
  // The calling thread enters the root `id` of process `pid`: opened only when the thread is
  // elsewhere, and then refused (EAGAIN) unless it still is `id`.
  static Result<InRoot> enter(const RootId& id, pid_t pid);

  // Opens the regular file `path` from `base` (an fd, or AT_FDCWD for the root) for
  // reading. `nofollow`: a symlink as the last component is ELOOP. `want_dir` also takes
  // the stat of the directory holding it. Errors carry the errno the kernel's exec would
  // give, or EAGAIN when the name was replaced (renamed over, removed) while it was looked up.
  Result<verify::OpenFile> open(int base, const std::string& path, bool nofollow, bool want_dir) const;
  // `fd` (any fd of ours: one taken from the process) as an OpenFile: its path as the
  // container sees it, reopened for reading when it must be read (OpenFile::reopen, on this
  // thread while it is in this root); fileless when it has no name left.
  Result<verify::OpenFile> adopt(unique_fd fd, bool want_dir) const;
  // The path of `fd` (one of ours) as the container sees it.
  Result<std::string> path_of(int fd) const;
  // `fd` (an O_PATH fd of ours) opened again with `flags`, as the thread's identity may.
  Result<unique_fd> reopen(int fd, int flags) const;
  // The thread's /proc/self/fd: its entry "N" is a magic link to our fd N, for the calls
  // that take no O_PATH fd by itself (chmod, link without CAP_DAC_READ_SEARCH).
  int own_fds() const;
  // `call` given a name, relative to the thread's cwd, that is a magic link to our fd `fd`:
  // for the calls that take a path and no dirfd (setxattr, removexattr). Its result, with
  // its errno.
  int by_name(int fd, const std::function<int(const char*)>& call) const;

 private:
  InRoot() = default;
};

}  // namespace vigil::supervisor
