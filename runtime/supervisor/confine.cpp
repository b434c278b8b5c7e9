#include "runtime/supervisor/confine.hpp"

#include <fcntl.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sched.h>
#include <sys/ipc.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "runtime/process/identity.hpp"
#include "runtime/seccomp/cache.hpp"
#include "runtime/seccomp/load.hpp"
#include "runtime/supervisor/memory_rlimits.hpp"

namespace vigil::supervisor {
namespace {

// By job: tracing, notifications, exec hand-ins, judging (opening and reading the
// container's files, from its root: see in_root.hpp), logging, memory and threads (clone: no
// execve, so only more of this same confined supervisor), exiting. openat and unlinkat have
// rules of their own below.
const std::vector<std::string>& allowed() {
  static const std::vector<std::string> names = {
      "ptrace", "wait4", "waitid", "pidfd_open", "pidfd_getfd", "pidfd_send_signal", "kill", "tgkill",
      "ioctl", "poll", "ppoll", "read", "readv", "pread64", "write", "writev", "pwrite64", "close",
      "process_vm_readv", "accept4", "accept", "recvmsg", "sendmsg", "recvfrom", "sendto", "getsockopt", "setsockopt",
      "openat2", "newfstatat", "fstat", "fstatfs", "statx", "lseek", "readlinkat", "getdents64", "fcntl",
      "unshare", "fchdir", "chroot",
      "futex", "mmap", "munmap", "mremap", "mprotect", "madvise", "brk",
      "rt_sigprocmask", "rt_sigaction", "rt_sigreturn", "sigaltstack", "restart_syscall", "getpid",
      "gettid", "getuid", "geteuid", "clock_gettime", "clock_nanosleep", "nanosleep", "sched_yield",
      "getrandom", "set_robust_list", "rseq", "sched_getaffinity", "eventfd2", "clone", "clone3", "exit", "exit_group"};
  return names;
}

// openat only for reading, unless it opens and changes files for the container's processes: what the
// supervisor writes (its audit log, the log) it opened before confining itself. (openat2
// takes its flags in a struct seccomp cannot read.)
constexpr uint64_t kWriteFlags = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND;

constexpr uint64_t bit(int cap) { return uint64_t(1) << cap; }

// What the work needs, and why: the rest goes, from every set and the bounding set.
uint64_t kept_capabilities(const Needs& needs) {
  uint64_t keep = bit(CAP_SYS_PTRACE)     // seize execs; read tracee memory, take its fds, open its /proc files
                  | bit(CAP_KILL)         // SIGKILL to the container's processes, whatever their uid
                  | bit(CAP_SYS_CHROOT)   // a judging thread enters the process's root (in_root.hpp)
                  | bit(CAP_DAC_READ_SEARCH);  // open and read the container's files, whatever their mode
  // /proc/PID/map_files (mprotect of a mapped library): CAP_CHECKPOINT_RESTORE since Linux
  // 5.9, CAP_SYS_ADMIN before.
  bool checkpoint_restore = ::prctl(PR_CAPBSET_READ, CAP_CHECKPOINT_RESTORE, 0, 0, 0) >= 0;
  keep |= bit(checkpoint_restore ? CAP_CHECKPOINT_RESTORE : CAP_SYS_ADMIN);
  // setns into an IPC namespace, and IPC_STAT of a segment whatever its mode.
  if (needs.joins_ipc) keep |= bit(CAP_SYS_ADMIN) | bit(CAP_IPC_OWNER);
  // Take a process's fsuid, fsgid and groups, and the capabilities over files a process
  // may have, to open files as it would (act_as.hpp).
  if (needs.opens)
    keep |= bit(CAP_SETUID) | bit(CAP_SETGID) | bit(CAP_DAC_OVERRIDE) | bit(CAP_FOWNER) | bit(CAP_FSETID) | bit(CAP_CHOWN) |
            bit(CAP_MKNOD);
  // Any process's RLIMIT_DATA, whatever its uid (supervisor_sets_data_limit).
  if (needs.sets_data_limit && runtime_has_sys_resource()) keep |= bit(CAP_SYS_RESOURCE);
  return keep;
}

}  // namespace

Result<seccomp::Program> compile_allow_list(const std::vector<seccomp::Rule>& rules, const std::string& whose,
                                            const std::string& cache_dir) {
  seccomp::Profile p;
  p.default_action = seccomp::Action::errno_ret;
  p.flags = std::vector<seccomp::Flag>{};
  // The cache's key: the rules themselves, and whose they are.
  nlohmann::json key = {{"vigil", whose}, {"rules", nlohmann::json::array()}};
  for (const auto& r : rules) {
    p.syscalls.push_back({r.names, seccomp::Action::allow, std::nullopt, r.args});
    nlohmann::json args = nlohmann::json::array();
    for (const auto& a : r.args) args.push_back({a.index, a.value, a.value_two, seccomp::name_of(a.op)});
    key["rules"].push_back({{"names", r.names}, {"args", args}});
  }
  return with_context(seccomp::compile_cached(p, key, cache_dir, nullptr), "compile the " + whose + "'s filter");
}

Result<seccomp::Program> confinement(const std::string& cache_dir, const Needs& needs) {
  std::vector<seccomp::Rule> rules = {
      {allowed(), seccomp::Action::allow, std::nullopt, {}},
      {{"unlinkat"}, seccomp::Action::allow, std::nullopt, {{0, uint64_t(kStateDirFd), 0, seccomp::Op::eq}}}};
  if (needs.opens)
    rules.push_back({{"openat", "unlinkat", "mkdirat", "mknodat", "symlinkat", "linkat", "renameat2", "ftruncate", "fchmod",
                      "fchmodat", "fchown", "fchownat", "setxattr", "removexattr", "fsetxattr", "fremovexattr",
                      "utimensat", "setfsuid", "setfsgid", "setgroups", "getgroups", "capget", "capset",
                      "umask"},
                     seccomp::Action::allow, std::nullopt, {}});
  else
    rules.push_back({{"openat"}, seccomp::Action::allow, std::nullopt, {{2, kWriteFlags, 0, seccomp::Op::masked_eq}}});
  if (needs.joins_ipc) {
    rules.push_back({{"setns"}, seccomp::Action::allow, std::nullopt, {{1, uint64_t(CLONE_NEWIPC), 0, seccomp::Op::eq}}});
    rules.push_back({{"shmctl"}, seccomp::Action::allow, std::nullopt, {{1, uint64_t(IPC_STAT), 0, seccomp::Op::eq}}});
  }
  if (needs.sets_data_limit)
    rules.push_back({{"prlimit64"}, seccomp::Action::allow, std::nullopt, {{1, uint64_t(RLIMIT_DATA), 0, seccomp::Op::eq}}});
  return compile_allow_list(rules, "supervisor", cache_dir);
}

Status confine(const seccomp::Program& allow_list, const Needs& needs) {
  uint64_t keep = kept_capabilities(needs);
  // Root regains nothing through exec or a uid change, and these stay so.
  if (::prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
                                     SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
                                     SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED,
              0, 0, 0) < 0)
    return Error::from_errno("supervisor: set securebits");
  TRY_CTX(drop_bounding_set(0), "supervisor");
  TRY_CTX(set_capabilities(keep, keep, 0), "supervisor");
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) return Error::from_errno("supervisor: clear ambient capabilities");
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return Error::from_errno("supervisor: set no_new_privs");
  TRY_CTX(seccomp::load_filter(allow_list), "supervisor: load its own filter");
  return {};
}

}  // namespace vigil::supervisor
