// The supervisor confines itself once it is set up, before it starts its threads (which
// inherit it): only the capabilities its work needs (none in the bounding set, securebits
// locked), no_new_privs, and a seccomp allow-list of the system calls that work makes, with
// openat for reading only and unlinkat only in its state directory. Anything else fails with
// EPERM, so a supervisor subverted through what it reads from the container can do little.
// Landlock it cannot use: a Landlock domain may not ptrace, read the memory of, take fds
// from or open /proc/PID/root of a process outside it (docs/POLICY.md).
#pragma once

#include <string>

#include "runtime/base/error.hpp"
#include "runtime/seccomp/profile.hpp"
#include "runtime/seccomp/program.hpp"

namespace vigil::supervisor {

// The container's state directory, kept open at this fd: the one place the confined
// supervisor may remove a file (its socket, when it exits).
inline constexpr int kStateDirFd = 63;

// A filter that allows the calls of `rules` (their actions are ignored: allow) and fails
// every other with EPERM, compiled through the cache in `cache_dir`; `whose` names it in
// the cache's key and in errors.
Result<seccomp::Program> compile_allow_list(const std::vector<seccomp::Rule>& rules, const std::string& whose,
                                            const std::string& cache_dir);
// What the supervisor's work takes beyond what every supervisor does.
struct Needs {
  // It asks System V segments' sizes (memory limits), from the container's IPC namespace
  // (setns there, shmctl), which takes CAP_SYS_ADMIN and CAP_IPC_OWNER too.
  bool joins_ipc = false;
  // It opens and removes files for the container's processes (path rules: open_notice.cpp,
  // remove_notice.cpp) as they would, with their identity (act_as.hpp), creating and writing too.
  bool opens = false;
  // It sets the processes' soft RLIMIT_DATA (memory_watch.hpp), with CAP_SYS_RESOURCE where
  // the runtime has it.
  bool sets_data_limit = false;
};

// The supervisor's allow-list.
Result<seccomp::Program> confinement(const std::string& cache_dir, const Needs& needs);
Status confine(const seccomp::Program& allow_list, const Needs& needs);

}  // namespace vigil::supervisor
