// The supervisor's decisions on notified syscalls: execve/execveat (exec_notice.cpp) and
// mmap/mprotect asking for PROT_EXEC (map_notice.cpp), under the policy's exec section; the
// calls that grow memory (memory_notice.cpp), under its memory section; opens
// (open_notice.cpp) and the other calls on paths (remove_notice.cpp, make_notice.cpp,
// rename_notice.cpp, change_notice.cpp, xattr_notice.cpp, times_notice.cpp), under its paths
// section.
#pragma once

#include <linux/seccomp.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "runtime/policy/exec_policy.hpp"
#include "runtime/supervisor/audit.hpp"
#include "runtime/supervisor/exec_stop.hpp"
#include "runtime/supervisor/filter.hpp"
#include "runtime/supervisor/learner.hpp"
#include "runtime/supervisor/memory_ledger.hpp"
#include "runtime/supervisor/memory_source.hpp"
#include "runtime/supervisor/paths_judge.hpp"
#include "runtime/supervisor/tracee_files.hpp"
#include "runtime/verify/check.hpp"
#include "runtime/verify/file_facts.hpp"

namespace vigil::supervisor {

// What the memory section's limits are judged with; made before the supervisor confines
// itself (the source's probe of the shmem device).
struct MemoryJudge {
  MemoryJudge(const policy::MemoryPolicy& m, ProcMemorySource s, bool data_room)
      : source(std::move(s)), ledger(m, source, data_room) {}
  MemoryJudge(const MemoryJudge&) = delete;
  MemoryJudge& operator=(const MemoryJudge&) = delete;
  ProcMemorySource source;
  MemoryLedger ledger;
};

struct JudgeContext {
  const policy::ExecPolicy& policy;
  MemoryJudge* memory;  // nullptr: no memory limit needs the supervisor
  PathsJudge* paths;    // nullptr: no path rule needs the supervisor
  verify::FactsCache& cache;
  AuditLog& audit;
  const UidMap& uids;  // the container's user namespace, for exec.tpe
  Learner* learner;    // nullptr unless the policy learns
};

class Judge {
 public:
  // Files not in the cache yet are read by `examiner`. `memory`: when a memory limit needs
  // the supervisor.
  Judge(policy::ExecPolicy p, std::unique_ptr<MemoryJudge> memory, std::unique_ptr<PathsJudge> paths, AuditLog& audit,
        verify::Examiner& examiner);
  // The container's uid map, read from its init, for exec.tpe: set before any listener is
  // watched.
  void set_uid_map(UidMap uids) { uids_ = std::move(uids); }
  // Path rules' judge, if any (set up with the init before any listener is watched).
  PathsJudge* paths() { return paths_.get(); }
  // Answers the notification, but for an execve it allows: that returns what it may map,
  // and the caller lets it run through its exec stop (exec_stop.hpp).
  std::optional<ExpectedImage> judge(int listener, const seccomp_notif& n);
  const JudgeContext& context() const { return ctx_; }
  // The opens waiting on threads of their own, if path rules are judged.
  BlockingOpens* blocking() { return paths_ ? &paths_->blocking() : nullptr; }
  // What learn mode records, if the policy learns.
  Learner* learner() { return learner_.get(); }

 private:
  Watched watched(const seccomp_notif& n);

  policy::ExecPolicy policy_;
  std::unique_ptr<MemoryJudge> memory_;
  std::unique_ptr<PathsJudge> paths_;
  UidMap uids_;
  std::unique_ptr<Learner> learner_;
  verify::FactsCache cache_;
  JudgeContext ctx_;
  std::map<std::pair<uint32_t, int>, Watched> syscalls_;  // (arch, nr), as they come (one thread)
};

// The files an allowed execve may map; nullopt when it was refused (and answered).
std::optional<ExpectedImage> judge_exec(const JudgeContext& c, const Notified& who, const seccomp_notif& n, bool at);
// True when the exec section lets the map through (nothing answered yet).
bool judge_map(const JudgeContext& c, const Notified& who, const seccomp_notif& n, bool mprotect);
// Answers a call that may grow memory.
void judge_memory(const JudgeContext& c, const Notified& who, const seccomp_notif& n, Watched kind);
// Answers an open under path rules (open_notice.cpp).
void judge_open(const JudgeContext& c, const Notified& who, const seccomp_notif& n, Watched kind);
// Answers an unlink, unlinkat or rmdir under path rules (remove_notice.cpp).
void judge_remove(const JudgeContext& c, const Notified& who, const seccomp_notif& n, Watched kind);
// Answers a mkdir, mknod, symlink or link (and their *at forms) under path rules (make_notice.cpp).
void judge_make(const JudgeContext& c, const Notified& who, const seccomp_notif& n, Watched kind);
// Answers a rename, renameat or renameat2 under path rules (rename_notice.cpp).
void judge_rename(const JudgeContext& c, const Notified& who, const seccomp_notif& n, Watched kind);
// Answers a truncate, chmod or chown, by path or by fd, under path rules (change_notice.cpp).
void judge_change(const JudgeContext& c, const Notified& who, const seccomp_notif& n, Watched kind);
// Answers a setxattr or removexattr, by path or fd, under path rules (xattr_notice.cpp).
void judge_xattr(const JudgeContext& c, const Notified& who, const seccomp_notif& n, Watched kind);
// Answers a utime, utimes, futimesat or utimensat under path rules (times_notice.cpp).
void judge_times(const JudgeContext& c, const Notified& who, const seccomp_notif& n, Watched kind);

// Carries out a verdict: audits anything but allow; deny makes the syscall fail with
// EACCES, kill also SIGKILLs the process; allow and warn let it run. Learning, nothing
// refuses: deny and kill are warnings.
void answer(const JudgeContext& c, const Notified& who, const std::string& syscall, verify::Verdict v);
// The checks of `f` as `role`: false when refused (and answered), true when it may run (a
// warning audited); the caller answers then.
bool admit(const JudgeContext& c, const Notified& who, const std::string& syscall, const verify::OpenFile& f,
           verify::Role role, verify::Facts* facts = nullptr);
// Writes `d` to the audit log; learning, a warning only the first time for its rule and subject.
void audit(const JudgeContext& c, const Decision& d);
// SIGKILL to the notified process, still in its syscall (a kill action; the caller answers).
void kill_notified(const Notified& who);
// The syscall fails with `err`, as the kernel would have failed it (no policy decision).
void fail_as_kernel(const Notified& who, int err);

}  // namespace vigil::supervisor
