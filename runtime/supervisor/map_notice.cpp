// mmap, mprotect and pkey_mprotect asking for PROT_EXEC (the filter lets every other call
// through without asking): write+execute is refused under exec.deny_wx, from the arguments
// alone; a file mapped executable (a library, or a program ld.so loads) is checked as a
// library. The file is the one the process passes (its fd, taken with pidfd_getfd) or the one
// mapped at the address mprotect names. A second thread of the process can swap that fd or
// remap that address after the check: this stops the ordinary ways of loading code (ld.so,
// dlopen), not a process already running code of its own choosing.
#include <fcntl.h>
#include <sys/mman.h>

#include <cstdio>

#include "runtime/supervisor/in_root.hpp"
#include "runtime/supervisor/judge.hpp"
#include "runtime/supervisor/proc_maps.hpp"
#include "runtime/supervisor/respond.hpp"
#include "runtime/supervisor/tracee_memory.hpp"

namespace vigil::supervisor {
namespace {

std::string prot_text(uint64_t prot) {
  std::string s;
  if (prot & PROT_READ) s += "PROT_READ|";
  if (prot & PROT_WRITE) s += "PROT_WRITE|";
  if (prot & PROT_EXEC) s += "PROT_EXEC|";
  return s.empty() ? "PROT_NONE" : s.substr(0, s.size() - 1);
}

// /proc/PID/map_files/START-END of the file mapping holding `addr`; an empty fd for anonymous memory.
Result<unique_fd> mapped_file(const Notified& who, uint64_t addr) {
  for (const auto& m : TRY(read_maps(who.pid))) {
    if (addr < m.start || addr >= m.end) continue;
    if (m.inode == 0) return unique_fd();
    char range[64];
    std::snprintf(range, sizeof range, "%d/map_files/%llx-%llx", who.pid, (unsigned long long)m.start,
                  (unsigned long long)m.end);
    unique_fd fd(::openat(host_proc(), range, O_RDONLY | O_CLOEXEC));
    if (!fd) return Error::from_errno(std::string("open ") + range);
    if (!notification_valid(who.listener, who.id)) return Error(ENOENT, "left the syscall");
    return fd;
  }
  return unique_fd();  // unmapped: the kernel answers ENOMEM itself
}

}  // namespace

bool judge_map(const JudgeContext& c, const Notified& who, const seccomp_notif& n, bool mprotect) {
  const char* syscall = mprotect ? "mprotect" : "mmap";
  uint64_t prot = n.data.args[2];
  if (c.learner && (prot & PROT_WRITE) && (prot & PROT_EXEC)) c.learner->wx_map(who.pid, syscall);
  if (c.policy.deny_wx && (prot & PROT_WRITE) && (prot & PROT_EXEC))
    return answer(c, who, syscall, {policy::Action::deny, "exec.deny_wx", prot_text(prot), syscall}), false;
  bool anonymous = !mprotect && ((n.data.args[3] & MAP_ANONYMOUS) || int(n.data.args[4]) < 0);
  if (!c.policy.checks_libraries() || anonymous) return true;
  auto refuse = [&](const std::string& why) {
    answer(c, who, syscall, {policy::Action::deny, "exec.elf", why, syscall});
    return false;
  };
  auto file = mprotect ? mapped_file(who, n.data.args[0]) : take_fd(who, int(n.data.args[4]));
  if (!file) return file.error().code() == ENOENT ? (fail_as_kernel(who, ENOENT), false) : refuse(file.error().str());
  if (!*file) return true;  // anonymous memory
  auto root = root_of(who.pid);
  if (!root || !notification_valid(who.listener, who.id)) return fail_as_kernel(who, ENOENT), false;
  auto in = InRoot::enter(*root, who.pid);
  if (!in) return refuse(in.error().str());
  auto f = in->adopt(std::move(*file), c.policy.needs_dir());
  // A device or other special file mapped executable: nothing a policy can vouch for.
  if (!f) return refuse("cannot be examined: " + f.error().str());
  return admit(c, who, syscall, *f, verify::Role::library);
}

}  // namespace vigil::supervisor
