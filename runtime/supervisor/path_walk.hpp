// Looking a path up for a container's process, when the supervisor must open the file itself
// (path rules: open_notice.hpp). The judging thread is in the process's root (in_root.hpp)
// and acts as the process (act_as.hpp), so the kernel checks its permissions at each step.
// One openat2 does it when it can; what it cannot is walked here a component at a time:
// /proc/self and /proc/thread-self, which name the supervisor when it asks, are the
// process's, and a /proc magic link (/proc/PID/fd/N, root, cwd) is followed only when it is
// the process's own (the kernel would check ptrace access; the supervisor passes where the
// process may not).
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"

namespace vigil::supervisor {

// The thread walks in the process's root (in_root.hpp): its "/" is the process's.
struct WalkFrom {
  int base;         // where a relative path starts: its cwd or the call's dirfd
  std::string tgid;  // the process, as its own /proc names it (NSpid)
  std::string tid;
  bool protected_symlinks = true;  // the host's fs.protected_symlinks, which the kernel applies
  // Called before each lookup a component walk makes in the directory `dir` (an fd); false
  // fails the walk (EACCES). Where the thread's capabilities depend on the directory.
  std::function<bool(int dir)> searching;
};

struct Walked {
  unique_fd fd;      // O_PATH of what the path names (a symlink itself, when not followed)
  unique_fd parent;  // when the last component does not exist: the directory it would be in,
  std::string name;  // and its name there (through a dangling symlink, its target's)
  struct stat st;    // with fd: what it is
  std::string path;  // with fd, when the lookup knows it: its path as the container sees it
};

// `path` from `from`; `follow_last`: a symlink as the last component is followed.
Result<Walked> walk_path(const WalkFrom& from, std::string_view path, bool follow_last);
// The same with openat2's RESOLVE_* flags `resolve` (the process's own, which the kernel
// honours exactly); a path that ends in /proc, whose "self" would be the supervisor's, is
// refused (EACCES).
Result<Walked> walk_resolved(const WalkFrom& from, std::string_view path, bool follow_last, uint64_t resolve);

}  // namespace vigil::supervisor
