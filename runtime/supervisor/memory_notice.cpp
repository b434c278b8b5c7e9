// The calls that may grow a process's memory, under the memory section (memory_ledger.hpp
// says what is counted): what each asks for is read from its arguments, the fd it maps, the
// heap's end or the System V segment it attaches; the ledger judges it; warn lets it through
// with one audit line per process and limit, deny fails it with ENOMEM (brk, whose kernel
// call reports failure by returning the old break, gets that), kill also SIGKILLs the process.
#include <linux/audit.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <fcntl.h>
#include <unistd.h>


#include "runtime/base/log.hpp"
#include "runtime/supervisor/judge.hpp"
#include "runtime/supervisor/respond.hpp"
#include "runtime/supervisor/tracee_memory.hpp"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

namespace vigil::supervisor {
namespace {

constexpr int kIpcShmat = 21;  // ipc(2)'s call number for shmat on 32-bit x86
constexpr uint32_t kI386Mmap2 = 192;

const char* syscall_name(Watched kind) {
  switch (kind) {
    case Watched::mmap: return "mmap";
    case Watched::mprotect: return "mprotect";
    case Watched::brk: return "brk";
    case Watched::mremap: return "mremap";
    default: return "shmat";
  }
}

// A MAP_SHARED map of `fd`: shared memory (tmpfs, hugetlbfs, memfd, /dev/zero) the process
// may write, counted as a part of its object; any other file is the file's to hold.
Status shared_map(MemoryJudge& m, const Notified& who, int fd, uint64_t offset, uint64_t length, uint64_t prot,
                  MemoryRequest& r) {
  auto file = TRY(take_fd(who, fd));
  struct stat st {};
  struct statfs fs {};
  if (::fstat(file.get(), &st) < 0 || ::fstatfs(file.get(), &fs) < 0) return Error::from_errno("fstat its fd");
  if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 5)) {  // /dev/zero: shared anonymous memory
    r.object = SharedExtent{0, 0, 0, length};
    return {};
  }
  if (fs.f_type != TMPFS_MAGIC && fs.f_type != HUGETLBFS_MAGIC) return {};
  // Read-only now, but made writable by a later mprotect without another notified call.
  bool writable = (prot & PROT_WRITE) || (::fcntl(file.get(), F_GETFL) & O_ACCMODE) == O_RDWR;
  if (!writable) return {};
  m.source.add_shmem_device(st.st_dev);
  r.object = SharedExtent{st.st_dev, st.st_ino, offset, offset + length};
  return {};
}

Result<MemoryRequest> asked_for(MemoryJudge& m, const Notified& who, const seccomp_notif& n, Watched kind) {
  const auto& a = n.data.args;
  MemoryRequest r;
  switch (kind) {
    case Watched::mmap: {
      uint64_t length = page_up(a[1]), prot = a[2], flags = a[3];
      uint64_t offset = n.data.arch == AUDIT_ARCH_I386 && n.data.nr == kI386Mmap2 ? a[5] * 4096 : a[5];
      r.virtual_size = length;
      if ((flags & MAP_SHARED) == 0) {  // MAP_PRIVATE: private memory once writable
        r.committed = (prot & PROT_WRITE) ? length : 0;
      } else if ((flags & MAP_ANONYMOUS) || int(a[4]) < 0) {
        r.object = SharedExtent{0, 0, 0, length};
      } else {
        TRY(shared_map(m, who, int(a[4]), offset, length, prot, r));
      }
      break;
    }
    case Watched::mprotect:
      r.committed = (a[2] & PROT_WRITE) ? page_up(a[1]) : 0;
      break;
    case Watched::brk: r.brk = a[0]; break;
    case Watched::mremap: {
      uint64_t old_length = (a[3] & MREMAP_DONTUNMAP) ? 0 : page_up(a[1]), length = page_up(a[2]);
      r.committed = r.virtual_size = length > old_length ? length - old_length : 0;
      break;
    }
    case Watched::shmat:
    case Watched::ipc: {
      bool ipc = kind == Watched::ipc;
      if (ipc && int(a[0]) != kIpcShmat) break;
      int shmid = int(ipc ? a[1] : a[0]);
      uint64_t flags = a[2];  // shmflg, in both forms
      auto pidfd = TRY(open_pidfd(who));
      uint64_t size = page_up(TRY(shm_segment_size(pidfd.get(), shmid)));
      r.virtual_size = size;
      // A segment's inode number on the kernel's shmem mount is its id.
      if (!(flags & SHM_RDONLY)) r.object = SharedExtent{m.source.kernel_shmem_device(), ino_t(shmid), 0, size};
      break;
    }
    default: break;
  }
  return r;
}

std::string bytes(uint64_t n) { return std::to_string(n) + " bytes"; }

}  // namespace

void judge_memory(const JudgeContext& c, const Notified& who, const seccomp_notif& n, Watched kind) {
  auto carry_on = [&] { reply(respond_continue(who.listener, who.id)); };
  if (!c.memory) return carry_on();
  MemoryJudge& m = *c.memory;
  const policy::MemoryPolicy& limits = m.ledger.policy();
  const char* syscall = syscall_name(kind);
  auto refuse = [&](const std::string& rule, const std::string& subject, const std::string& detail, bool kill) {
    c.audit.record({who.pid, syscall, subject, rule, kill ? "kill" : "deny", detail});
    if (kill) kill_notified(who);
    reply(kind == Watched::brk ? respond_value(who.listener, who.id, int64_t(m.ledger.old_break(who.pid)))
                               : respond_errno(who.listener, who.id, ENOMEM));
  };
  // A MAP_GROWSDOWN map grows by page faults alone, as far as RLIMIT_STACK, as often as it
  // is made: nothing a commitment could count. Nothing common uses it (glibc, Go and the
  // JVM map their stacks whole).
  bool commitment = limits.max || limits.container_max;
  if (kind == Watched::mmap && (n.data.args[3] & MAP_GROWSDOWN) && commitment)
    return refuse(limits.max ? "memory.max" : "memory.container_max", "MAP_GROWSDOWN",
                  "a mapping that page faults grow cannot be counted", limits.action == policy::Action::kill);
  auto asked = asked_for(m, who, n, kind);
  if (!asked) {
    int err = asked.error().code();
    // The process left the call, or passed an fd or segment that is not there: the kernel
    // fails the call by itself.
    if (err == ENOENT || err == ESRCH || err == EBADF || err == EINVAL || err == EIDRM) return carry_on();
    return refuse("memory", "", "cannot measure the request: " + asked.error().str(), false);
  }
  MemoryRequest& r = *asked;
  if (!r.brk && !r.committed && !r.object && !(limits.vm_max && r.virtual_size)) return carry_on();
  auto breach = m.ledger.admit(who.pid, r);
  // What was read (an fd, the figures) was the calling process's, still in this call.
  if (!notification_valid(who.listener, who.id)) return;
  if (!breach) {
    if (breach.error().code() == ENOENT || breach.error().code() == ESRCH) return carry_on();
    return refuse("memory", "", "cannot read its figures: " + breach.error().str(), false);
  }
  if (c.learner) c.learner->committed(who.pid, syscall, m.ledger.last().process, m.ledger.last().container);
  if (!*breach) m.ledger.grant(who.pid, r);
  // The process waits in this call: its id is its own while its brk's share is set.
  if (Status settled = m.ledger.settle(who.pid); !settled)
    log_debug("supervisor: pid " + std::to_string(who.pid) + " keeps the RLIMIT_DATA it inherited: " + settled.error().str());
  if (!*breach) return carry_on();
  const Breach& b = **breach;
  std::string detail = "limit " + bytes(b.limit_bytes) + ", current " + bytes(b.current) + ", request " + bytes(b.request);
  switch (limits.action) {
    case policy::Action::warn:
      if (m.ledger.first_warning(who.pid, b.limit)) c.audit.record({who.pid, syscall, bytes(b.request), b.limit, "warn", detail});
      m.ledger.grant(who.pid, r);
      return carry_on();
    case policy::Action::kill: return refuse(b.limit, bytes(b.request), detail, true);
    default: return refuse(b.limit, bytes(b.request), detail, false);
  }
}

}  // namespace vigil::supervisor
