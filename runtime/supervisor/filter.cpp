#include "runtime/supervisor/filter.hpp"

#include <linux/audit.h>
#include <linux/filter.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstddef>
#include <iterator>

#include "runtime/seccomp/cache.hpp"

namespace vigil::supervisor {
namespace {

constexpr uint32_t kI386OldMmap = 90;
// Calls on paths newer than the libseccomp this is built with knows by name (Linux 6.13 to
// 6.17; one number on every ABI since 424): setxattrat, removexattrat, open_tree_attr,
// file_setattr. Under path rules they are ENOSYS, so a C library falls back on the calls
// the supervisor judges.
constexpr uint32_t kNewPathCalls[] = {463, 466, 467, 469};
constexpr uint32_t kX32Bit = 0x40000000;

std::vector<std::string> names_of(std::initializer_list<Watched> kinds) {
  std::vector<std::string> out;
  for (const auto& w : watched_syscalls())
    if (std::find(kinds.begin(), kinds.end(), w.as) != kinds.end()) out.push_back(w.name);
  return out;
}

}  // namespace

uint64_t exec_prot_mask(const policy::ExecPolicy& exec) {
  return exec.checks_libraries() ? PROT_EXEC : exec.deny_wx ? PROT_WRITE | PROT_EXEC : 0;
}

bool notifies(const policy::ExecPolicy& exec) { return exec.judges_exec() || exec_prot_mask(exec) != 0; }

const std::vector<WatchedSyscall>& watched_syscalls() {
  static const std::vector<WatchedSyscall> all = {{"execve", Watched::execve},     {"execveat", Watched::execveat},
                                                  {"mmap", Watched::mmap},         {"mmap2", Watched::mmap},
                                                  {"mprotect", Watched::mprotect}, {"pkey_mprotect", Watched::mprotect},
                                                  {"brk", Watched::brk},           {"mremap", Watched::mremap},
                                                  {"shmat", Watched::shmat},       {"ipc", Watched::ipc},
                                                  {"open", Watched::open},         {"openat", Watched::openat},
                                                  {"openat2", Watched::openat2},   {"creat", Watched::creat},
                                                  {"unlink", Watched::unlink},     {"unlinkat", Watched::unlinkat},
                                                  {"rmdir", Watched::rmdir},
                                                  {"mkdir", Watched::mkdir},       {"mkdirat", Watched::mkdirat},
                                                  {"mknod", Watched::mknod},       {"mknodat", Watched::mknodat},
                                                  {"symlink", Watched::symlink},   {"symlinkat", Watched::symlinkat},
                                                  {"link", Watched::link},         {"linkat", Watched::linkat},
                                                  {"rename", Watched::rename},     {"renameat", Watched::renameat},
                                                  {"renameat2", Watched::renameat2},
                                                  {"truncate", Watched::truncate}, {"truncate64", Watched::truncate64},
                                                  {"ftruncate", Watched::ftruncate}, {"ftruncate64", Watched::ftruncate64},
                                                  {"chmod", Watched::chmod},       {"fchmod", Watched::fchmod},
                                                  {"fchmodat", Watched::fchmodat}, {"fchmodat2", Watched::fchmodat2},
                                                  {"chown", Watched::chown},       {"lchown", Watched::lchown},
                                                  {"fchown", Watched::fchown},     {"fchownat", Watched::fchownat},
                                                  {"chown32", Watched::chown32},   {"lchown32", Watched::lchown32},
                                                  {"fchown32", Watched::fchown32},
                                                  {"setxattr", Watched::setxattr}, {"lsetxattr", Watched::lsetxattr},
                                                  {"fsetxattr", Watched::fsetxattr}, {"removexattr", Watched::removexattr},
                                                  {"lremovexattr", Watched::lremovexattr}, {"fremovexattr", Watched::fremovexattr},
                                                  {"utime", Watched::utime},       {"utimes", Watched::utimes},
                                                  {"futimesat", Watched::futimesat}, {"utimensat", Watched::utimensat},
                                                  {"utimensat_time64", Watched::utimensat_time64}};
  return all;
}

Result<seccomp::Program> notify_program(const std::string& cache_dir, const policy::ExecPolicy& exec,
                                        const MemoryWatch& memory, bool guard_rlimits, policy::AccessSet judged_paths) {
  seccomp::Profile p;
  p.default_action = seccomp::Action::allow;
  // A process killed while it waits for the supervisor's answer dies at once.
  p.flags = std::vector<seccomp::Flag>{seccomp::Flag::wait_killable_recv};
#ifdef __x86_64__
  // 32-bit and x32 programs are judged too (else the filter's bad-arch action kills them).
  p.architectures = {"SCMP_ARCH_X86", "SCMP_ARCH_X32"};
#endif
  // Every program a process of the container runs, unless the policy lets any of them run.
  // Memory limits see them too: an exec replaces the heap the supervisor knew.
  // Path rules' exec access too, where the supervisor holds it.
  if (exec.judges_exec() || memory.any() || (judged_paths & policy::bit(policy::Access::exec)))
    p.syscalls.push_back({names_of({Watched::execve, Watched::execveat}), seccomp::Action::notify, std::nullopt, {}});
  // Memory made executable, when the policy has a word on it: arguments are compared in the
  // filter, so every other mmap costs nothing.
  uint64_t mask = exec_prot_mask(exec);
  if (mask)
    p.syscalls.push_back({names_of({Watched::mmap, Watched::mprotect}), seccomp::Action::notify, std::nullopt,
                          {{2, mask, mask, seccomp::Op::masked_eq}}});
  // Memory, as far as the kernel's rlimits leave it to the supervisor (memory_watch.hpp):
  // reads, unmaps and PROT_NONE reservations never wake it.
  auto notify = [&](std::initializer_list<Watched> kinds, std::vector<seccomp::Arg> args) {
    p.syscalls.push_back({names_of(kinds), seccomp::Action::notify, std::nullopt, std::move(args)});
  };
  if (memory.virtual_) notify({Watched::mmap}, {});
  if (memory.committed) {
    // A shared map may be read-only now and made writable later by an mprotect that is not
    // notified (memory_notice.cpp counts it when its fd could write).
    notify({Watched::mmap}, {{3, MAP_SHARED, MAP_SHARED, seccomp::Op::masked_eq}});
    // Whatever its protection: made writable later, it grows by page faults (memory_notice.cpp).
    notify({Watched::mmap}, {{3, MAP_GROWSDOWN, MAP_GROWSDOWN, seccomp::Op::masked_eq}});
    notify({Watched::mmap, Watched::mprotect}, {{2, PROT_WRITE, PROT_WRITE, seccomp::Op::masked_eq}});
  }
  // brk(0) asks where the heap ends.
  if (memory.brk) notify({Watched::brk}, {{0, 0, 0, seccomp::Op::ne}});
  // libseccomp also adds ipc(SHMAT, …) where shmat is multiplexed (32-bit x86).
  if (memory.any()) notify({Watched::mremap, Watched::shmat}, {});

  // Opens, by their access mode in the filter where it is an argument (openat2 keeps it in a
  // struct: every openat2 is notified).
  using policy::Access;
  auto judged = [&](Access a) { return (judged_paths & policy::bit(a)) != 0; };
  std::vector<uint64_t> modes;
  if (judged(Access::read) || judged(Access::list)) modes.insert(modes.end(), {O_RDONLY, O_RDWR});
  if (judged(Access::write)) modes.insert(modes.end(), {O_WRONLY, O_RDWR});
  std::sort(modes.begin(), modes.end());
  modes.erase(std::unique(modes.begin(), modes.end()), modes.end());
  // An O_DIRECTORY open can only list a directory: with list not judged, it is not notified.
  const uint64_t mode_mask = judged(Access::list) ? O_ACCMODE : O_ACCMODE | O_DIRECTORY;
  for (uint64_t m : modes) {
    notify({Watched::open}, {{1, mode_mask, m, seccomp::Op::masked_eq}});
    notify({Watched::openat}, {{2, mode_mask, m, seccomp::Op::masked_eq}});
  }
  // And by the flags that create or truncate, whatever the mode (O_TMPFILE, which has
  // O_DIRECTORY's bit, makes a file to write).
  std::vector<uint64_t> flags;
  if (judged(Access::create) || judged(Access::write)) flags.push_back(__O_TMPFILE);
  if (judged(Access::create)) flags.push_back(O_CREAT);
  if (judged(Access::truncate)) flags.push_back(O_TRUNC);
  for (uint64_t f : flags) {
    notify({Watched::open}, {{1, f, f, seccomp::Op::masked_eq}});
    notify({Watched::openat}, {{2, f, f, seccomp::Op::masked_eq}});
  }
  if (!modes.empty() || !flags.empty()) notify({Watched::openat2}, {});
  if (judged(Access::write) || judged(Access::create) || judged(Access::truncate)) notify({Watched::creat}, {});
  if (judged(Access::delete_)) notify({Watched::unlink, Watched::unlinkat, Watched::rmdir}, {});
  if (judged(Access::create))
    notify({Watched::mkdir, Watched::mkdirat, Watched::mknod, Watched::mknodat, Watched::symlink, Watched::symlinkat,
            Watched::link, Watched::linkat},
           {});
  if (judged(Access::rename)) notify({Watched::rename, Watched::renameat, Watched::renameat2}, {});
  if (judged(Access::truncate)) notify({Watched::truncate, Watched::truncate64, Watched::ftruncate, Watched::ftruncate64}, {});
  // A file's extended attributes hold its ACLs, capabilities and labels: they are chmod's.
  if (judged(Access::chmod))
    notify({Watched::chmod, Watched::fchmod, Watched::fchmodat, Watched::fchmodat2, Watched::setxattr, Watched::lsetxattr,
            Watched::fsetxattr, Watched::removexattr, Watched::lremovexattr, Watched::fremovexattr},
           {});
  // Its times are written with it.
  if (judged(Access::write))
    notify({Watched::utime, Watched::utimes, Watched::futimesat, Watched::utimensat, Watched::utimensat_time64}, {});
  if (judged(Access::chown))
    notify({Watched::chown, Watched::lchown, Watched::fchown, Watched::fchownat, Watched::chown32, Watched::lchown32,
            Watched::fchown32},
           {});

  nlohmann::json rules = nlohmann::json::array();
  // With their comparisons: the cache's key is all the program depends on.
  for (const auto& r : p.syscalls) {
    nlohmann::json args = nlohmann::json::array();
    for (const auto& a : r.args) args.push_back({a.index, a.value, a.value_two, seccomp::name_of(a.op)});
    rules.push_back({{"names", r.names}, {"action", "SCMP_ACT_NOTIFY"}, {"args", args}});
  }
  // What opens a file by no path the supervisor sees: io_uring's opens, file handles. And
  // new mounts, which could put another file under an allowed name.
  if (judged_paths)
    p.syscalls.push_back({{"io_uring_setup", "open_by_handle_at", "name_to_handle_at", "mount", "fsopen", "fsmount",
                           "move_mount", "open_tree", "fspick", "mount_setattr"},
                          seccomp::Action::errno_ret, EPERM, {}});
  // The memory limits the kernel holds (memory_rlimits.hpp) stay where they are set, even for
  // a process that has CAP_SYS_RESOURCE; lowering them is refused too, as the filter cannot
  // read the new value.
  if (guard_rlimits)
    for (int resource : {RLIMIT_DATA, RLIMIT_AS}) {
      auto r = static_cast<uint64_t>(resource);
      p.syscalls.push_back({{"setrlimit"}, seccomp::Action::errno_ret, EPERM, {{0, r, 0, seccomp::Op::eq}}});
      p.syscalls.push_back({{"prlimit64"}, seccomp::Action::errno_ret, EPERM,
                            {{1, r, 0, seccomp::Op::eq}, {2, 0, 0, seccomp::Op::ne}}});
    }
  const nlohmann::json raw = {
      {"defaultAction", "SCMP_ACT_ALLOW"},
      {"architectures", p.architectures},
      {"syscalls", rules},
      {"protMask", mask},
      {"guardRlimits", guard_rlimits},
      {"memory", {memory.committed, memory.virtual_, memory.brk}},
      {"paths", judged_paths},
      {"flags", {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}},
      {"vigil", "supervisor"},  // keeps its cache entry apart from any profile of the same rules
  };
  auto program = TRY(seccomp::compile_cached(p, raw, cache_dir, nullptr));
#ifdef __x86_64__
  // 32-bit x86's old mmap (90) takes its arguments in a struct in memory, which the filter's
  // comparisons of prot and flags cannot see: with anything to judge of mmap, it is ENOSYS
  // (glibc has used mmap2 since 2.x; a program still on the old call would pass unjudged).
  if (mask || memory.any()) {
    const sock_filter old_mmap[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kI386OldMmap, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
    };
    program.insns.insert(program.insns.begin(), std::begin(old_mmap), std::end(old_mmap));
  }
#endif
  if (judged_paths) {
    std::vector<sock_filter> unnamed = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
                                        BPF_STMT(BPF_ALU | BPF_AND | BPF_K, ~kX32Bit)};
    const uint8_t n = std::size(kNewPathCalls);
    for (uint8_t i = 0; i < n; i++) unnamed.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kNewPathCalls[i], uint8_t(n - i), 0));
    unnamed.push_back(BPF_STMT(BPF_JMP | BPF_JA, 1));
    unnamed.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS));
    program.insns.insert(program.insns.begin(), unnamed.begin(), unnamed.end());
  }
  // A listener even when nothing is notified: every supervised process is handed in the same way.
  program.flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  return program;
}

}  // namespace vigil::supervisor
