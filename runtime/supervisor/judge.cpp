#include "runtime/supervisor/judge.hpp"

#include <seccomp.h>
#include <sys/syscall.h>

#include <csignal>

#include "runtime/base/log.hpp"
#include "runtime/supervisor/respond.hpp"

namespace vigil::supervisor {
namespace {

void reply(Status st) {
  // ENOENT: the process died or a signal interrupted the syscall meanwhile.
  if (!st && st.error().code() != ENOENT) log_warn("supervisor: " + st.error().str());
}

}  // namespace

Judge::Judge(policy::ExecPolicy p, AuditLog& audit, verify::Examiner& examiner)
    : policy_(std::move(p)), cache_(examiner), ctx_{policy_, cache_, audit, uids_} {
  uint32_t arches[] = {seccomp_arch_native(), SCMP_ARCH_X86, SCMP_ARCH_X32};
  for (uint32_t arch : arches)
    for (const auto& w : watched_syscalls())
      if (int nr = seccomp_syscall_resolve_name_arch(arch, w.name); nr >= 0) {
        // The kernel reports x32 calls as x86_64 ones, told apart by their numbers.
        syscalls_[{arch == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : arch, nr}] = w.as;
      }
}

Watched Judge::watched(const seccomp_notif& n) const {
  auto it = syscalls_.find({n.data.arch, n.data.nr});
  return it == syscalls_.end() ? Watched::other : it->second;
}

std::optional<ExpectedImage> Judge::judge(int listener, const seccomp_notif& n) {
  Notified who{listener, n.id, pid_t(n.pid)};
  switch (watched(n)) {
    case Watched::execve: return judge_exec(ctx_, who, n, false);
    case Watched::execveat: return judge_exec(ctx_, who, n, true);
    case Watched::mmap: return judge_map(ctx_, who, n, false), std::nullopt;
    case Watched::mprotect: return judge_map(ctx_, who, n, true), std::nullopt;
    case Watched::other:
      // The filter notifies nothing else; should it, nothing passes unjudged.
      log_warn("supervisor: unexpected notification of syscall " + std::to_string(n.data.nr));
      return reply(respond_errno(listener, n.id, EACCES)), std::nullopt;
  }
  return std::nullopt;
}

void answer(const JudgeContext& c, const Notified& who, const std::string& syscall, const verify::Verdict& v) {
  if (v.action != policy::Action::allow)
    c.audit.record({who.pid, syscall, v.subject, v.rule, std::string(policy::action_name(v.action)), v.detail});
  if (!v.refuses()) return reply(respond_continue(who.listener, who.id));
  if (v.action == policy::Action::kill) {
    if (auto pidfd = open_pidfd(who)) (void)::syscall(SYS_pidfd_send_signal, pidfd->get(), SIGKILL, nullptr, 0);
  }
  reply(respond_errno(who.listener, who.id, EACCES));
}

bool admit(const JudgeContext& c, const Notified& who, const std::string& syscall, const verify::OpenFile& f,
           verify::Role role, verify::Facts* facts) {
  verify::Checker checker(c.policy, c.cache);
  auto v = f.fileless ? checker.check_fileless(f.path) : verify::Verdict{};
  if (!v.refuses()) v = checker.check(f, role, [&](uint32_t u) { return c.uids.container_uid(u); }, facts);
  if (v.refuses()) return answer(c, who, syscall, v), false;
  if (v.action == policy::Action::warn) c.audit.record({who.pid, syscall, v.subject, v.rule, "warn", v.detail});
  return true;
}

void fail_as_kernel(const Notified& who, int err) { reply(respond_errno(who.listener, who.id, err ? err : EACCES)); }

}  // namespace vigil::supervisor
