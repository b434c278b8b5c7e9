// The supervisor's own seccomp filter, loaded in every process of a supervised container on
// top of the OCI profile: its syscalls are notified to the supervisor's listener. Stacked
// rather than merged, the kernel's precedence keeps the profile's word: a syscall the profile
// denies is denied without asking the supervisor; one it allows is the supervisor's to judge.
#pragma once

#include <string>
#include <vector>

#include "runtime/base/error.hpp"
#include "runtime/policy/exec_policy.hpp"
#include "runtime/policy/paths_policy.hpp"
#include "runtime/seccomp/program.hpp"
#include "runtime/supervisor/memory_watch.hpp"

namespace vigil::supervisor {

// How a notified syscall is judged; `other` is none the filter watches. From `open` on, the
// calls on paths, in groups by what they do (judge.cpp dispatches on that order).
enum class Watched {
  other, execve, execveat,
  mmap, mprotect, brk, mremap, shmat, ipc,
  open, openat, openat2, creat,
  unlink, unlinkat, rmdir,
  mkdir, mkdirat, mknod, mknodat, symlink, symlinkat, link, linkat,
  rename, renameat, renameat2,
  truncate, truncate64, ftruncate, ftruncate64,
  chmod, fchmod, fchmodat, fchmodat2,
  chown, lchown, fchown, fchownat, chown32, lchown32, fchown32,
  setxattr, lsetxattr, fsetxattr, removexattr, lremovexattr, fremovexattr,
  utime, utimes, futimesat, utimensat, utimensat_time64
};
struct WatchedSyscall {
  const char* name;
  Watched as;
};
// Every syscall the filter may notify, by name (each ABI's number is looked up by it).
const std::vector<WatchedSyscall>& watched_syscalls();

// The protection bits an mmap or mprotect must all have for `exec` to judge it; 0: none.
uint64_t exec_prot_mask(const policy::ExecPolicy& exec);

// Whether the filter for `exec` notifies any syscall at all.
bool notifies(const policy::ExecPolicy& exec);

// Compiled through the cache in `cache_dir`, like the OCI profiles. mmap and mprotect are
// watched only as far as `exec` and `memory` need, their arguments compared in the filter:
// PROT_EXEC for library checks, write+execute for W^X, MAP_SHARED or PROT_WRITE for memory.
// With `guard_rlimits`, setting RLIMIT_DATA or RLIMIT_AS fails with EPERM.
// With `judged_paths`, the opens that ask for those accesses are notified (open_notice.cpp),
// and the calls that would go around path rules fail with EPERM.
Result<seccomp::Program> notify_program(const std::string& cache_dir, const policy::ExecPolicy& exec,
                                        const MemoryWatch& memory, bool guard_rlimits, policy::AccessSet judged_paths);

}  // namespace vigil::supervisor
