#include "runtime/supervisor/confine.hpp"

#include <sys/prctl.h>

#include "runtime/seccomp/cache.hpp"
#include "runtime/seccomp/load.hpp"

namespace vigil::supervisor {
namespace {

// By job: tracing, notifications, exec hand-ins, judging (opening and reading the
// container's files, from its root: see in_root.hpp), logging, memory and threads (clone: no execve, so only more of
// this same confined supervisor), exiting.
const std::vector<std::string>& allowed() {
  static const std::vector<std::string> names = {
      "ptrace", "wait4", "waitid", "pidfd_open", "pidfd_getfd", "pidfd_send_signal", "kill", "tgkill",
      "ioctl", "poll", "ppoll", "read", "readv", "pread64", "write", "writev", "pwrite64", "close",
      "process_vm_readv", "accept4", "accept", "recvmsg", "sendmsg", "recvfrom", "sendto", "getsockopt", "setsockopt",
      "openat", "openat2", "newfstatat", "fstat", "statx", "lseek", "readlinkat", "getdents64", "fcntl",
      "unshare", "fchdir", "chroot",
      "unlink", "unlinkat", "futex", "mmap", "munmap", "mremap", "mprotect", "madvise", "brk",
      "rt_sigprocmask", "rt_sigaction", "rt_sigreturn", "sigaltstack", "restart_syscall", "getpid",
      "gettid", "getuid", "geteuid", "clock_gettime", "clock_nanosleep", "nanosleep", "sched_yield",
      "getrandom", "set_robust_list", "rseq", "sched_getaffinity", "eventfd2", "clone", "clone3", "exit", "exit_group"};
  return names;
}

}  // namespace

Result<seccomp::Program> confinement(const std::string& cache_dir) {
  nlohmann::json names = allowed();
  nlohmann::json raw = {{"defaultAction", "SCMP_ACT_ERRNO"},
                        {"syscalls", {{{"names", names}, {"action", "SCMP_ACT_ALLOW"}}}},
                        {"vigil", "supervisor's own"}};
  seccomp::Profile p;
  p.default_action = seccomp::Action::errno_ret;
  p.flags = std::vector<seccomp::Flag>{};
  p.syscalls.push_back({allowed(), seccomp::Action::allow, std::nullopt, {}});
  return with_context(seccomp::compile_cached(p, raw, cache_dir, nullptr), "supervisor: compile its own filter");
}

Status confine(const seccomp::Program& allow_list) {
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return Error::from_errno("supervisor: set no_new_privs");
  TRY_CTX(seccomp::load_filter(allow_list), "supervisor: load its own filter");
  return {};
}

}  // namespace vigil::supervisor
