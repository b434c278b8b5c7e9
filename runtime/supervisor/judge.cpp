#include "runtime/supervisor/judge.hpp"

#include <seccomp.h>

#include <csignal>
#include <cstdlib>
#include <cstring>

#include "runtime/base/log.hpp"
#include "runtime/process/process_handle.hpp"
#include "runtime/supervisor/respond.hpp"

namespace vigil::supervisor {
namespace {

// The calls on paths, by what they do: filter.hpp lists them in these groups.
void judge_path(const JudgeContext& c, const Notified& who, const seccomp_notif& n, Watched w) {
  if (w <= Watched::creat) return judge_open(c, who, n, w);
  if (w <= Watched::rmdir) return judge_remove(c, who, n, w);
  if (w <= Watched::linkat) return judge_make(c, who, n, w);
  if (w <= Watched::renameat2) return judge_rename(c, who, n, w);
  if (w <= Watched::fchown32) return judge_change(c, who, n, w);
  if (w <= Watched::fremovexattr) return judge_xattr(c, who, n, w);
  judge_times(c, who, n, w);
}

}  // namespace

Judge::Judge(policy::ExecPolicy p, std::unique_ptr<MemoryJudge> memory, std::unique_ptr<PathsJudge> paths, AuditLog& audit,
             verify::Examiner& examiner)
    : policy_(std::move(p)),
      memory_(std::move(memory)),
      paths_(std::move(paths)),
      learner_(policy_.learn ? std::make_unique<Learner>(audit) : nullptr),
      cache_(examiner),
      ctx_{policy_, memory_.get(), paths_.get(), cache_, audit, uids_, learner_.get()} {}

Watched Judge::watched(const seccomp_notif& n) {
  // Named on first sight: a few syscalls ever come, and resolving every watched name for
  // every ABI up front costs a container's start-up more than it saves.
  auto [it, added] = syscalls_.try_emplace({n.data.arch, n.data.nr}, Watched::other);
  if (!added) return it->second;
  uint32_t arch = n.data.arch;
#ifdef __X32_SYSCALL_BIT
  // The kernel reports x32 calls as x86_64 ones, told apart by their numbers.
  if (arch == SCMP_ARCH_X86_64 && (n.data.nr & __X32_SYSCALL_BIT)) arch = SCMP_ARCH_X32;
#endif
  if (char* name = seccomp_syscall_resolve_num_arch(arch, n.data.nr)) {
    for (const auto& w : watched_syscalls())
      if (std::strcmp(w.name, name) == 0) it->second = w.as;
    std::free(name);
  }
  return it->second;
}

std::optional<ExpectedImage> Judge::judge(int listener, const seccomp_notif& n) {
  Notified who{listener, n.id, pid_t(n.pid)};
  switch (watched(n)) {
    case Watched::execve:
    case Watched::execveat:
      if (memory_) memory_->ledger.exec_seen();
      if (!policy_.judges_exec() && !(paths_ && (paths_->judged() & policy::bit(policy::Access::exec))))
        return reply(respond_continue(listener, n.id)), std::nullopt;
      return judge_exec(ctx_, who, n, watched(n) == Watched::execveat);
    case Watched::mmap:
    case Watched::mprotect: {
      // Notified for the exec section, the memory section, or both: exec's word first.
      uint64_t mask = exec_prot_mask(policy_);
      bool exec_asks = mask && (n.data.args[2] & mask) == mask;
      if (exec_asks && !judge_map(ctx_, who, n, watched(n) == Watched::mprotect)) return std::nullopt;
      return judge_memory(ctx_, who, n, watched(n)), std::nullopt;
    }
    case Watched::brk:
    case Watched::mremap:
    case Watched::shmat:
    case Watched::ipc: return judge_memory(ctx_, who, n, watched(n)), std::nullopt;
    case Watched::other:
      // The filter notifies nothing else; should it, nothing passes unjudged.
      log_warn("supervisor: unexpected notification of syscall " + std::to_string(n.data.nr));
      return reply(respond_errno(listener, n.id, EACCES)), std::nullopt;
    default:  // a call on a path
      if (!paths_) return reply(respond_continue(listener, n.id)), std::nullopt;
      return judge_path(ctx_, who, n, watched(n)), std::nullopt;
  }
}

void answer(const JudgeContext& c, const Notified& who, const std::string& syscall, verify::Verdict v) {
  if (c.learner) policy::as_learned(v.action, v.detail);
  if (v.action != policy::Action::allow)
    audit(c, {who.pid, syscall, v.subject, v.rule, std::string(policy::action_name(v.action)), v.detail});
  if (!v.refuses()) return reply(respond_continue(who.listener, who.id));
  if (v.action == policy::Action::kill) kill_notified(who);
  reply(respond_errno(who.listener, who.id, EACCES));
}

void audit(const JudgeContext& c, const Decision& d) {
  if (c.learner && d.action == "warn" && !c.learner->first_warning(d.rule, d.subject)) return;
  c.audit.record(d);
}

void kill_notified(const Notified& who) {
  if (auto pidfd = open_pidfd(who)) (void)send_signal(pidfd->get(), SIGKILL);
}

bool admit(const JudgeContext& c, const Notified& who, const std::string& syscall, const verify::OpenFile& f,
           verify::Role role, verify::Facts* facts) {
  verify::Checker checker(c.policy, c.cache);
  verify::Facts seen;
  if (!facts) facts = &seen;
  auto fileless = f.fileless ? checker.check_fileless(f.path) : verify::Verdict{};
  if (fileless.refuses()) return answer(c, who, syscall, fileless), false;
  auto v = checker.check(f, role, [&](uint32_t u) { return c.uids.container_uid(u); }, facts);
  if (v.refuses()) return answer(c, who, syscall, v), false;
  if (c.learner)
    c.learner->executed(who.pid, syscall, f, role, *facts, c.cache, f.dir ? c.uids.container_uid(f.dir->st_uid) : std::nullopt);
  if (fileless.action == policy::Action::warn) audit(c, {who.pid, syscall, fileless.subject, fileless.rule, "warn", fileless.detail});
  for (const auto& w : checker.warnings()) audit(c, {who.pid, syscall, w.subject, w.rule, "warn", w.detail});
  return true;
}

void fail_as_kernel(const Notified& who, int err) { reply(respond_errno(who.listener, who.id, err ? err : EACCES)); }

}  // namespace vigil::supervisor
