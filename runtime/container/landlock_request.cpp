// The paths section as a Landlock ruleset for the init request: the plan's grants in the
// kernel's rights, checked against the running kernel's ABI. Never silently weaker: a right
// the kernel lacks, or a rule only the supervisor could hold, refuses the container.
#include "runtime/container/container.hpp"
#include "runtime/landlock/landlock.hpp"
#include "runtime/policy/paths_plan.hpp"

namespace vigil {
namespace {

using policy::Access;
using policy::Enforcer;

uint64_t rights_of(Access a) {
  switch (a) {
    case Access::read: return landlock::kReadFile;
    case Access::write: return landlock::kWriteFile;
    case Access::list: return landlock::kReadDir;
    case Access::create:
      return landlock::kMakeChar | landlock::kMakeDir | landlock::kMakeReg | landlock::kMakeSock | landlock::kMakeFifo |
             landlock::kMakeBlock | landlock::kMakeSym;
    case Access::delete_: return landlock::kRemoveDir | landlock::kRemoveFile;
    case Access::rename: return landlock::kRefer;
    case Access::truncate: return landlock::kTruncate;
    case Access::exec: return landlock::kExecute;
    case Access::ioctl: return landlock::kIoctlDev;
    case Access::chmod:
    case Access::chown: return 0;
  }
  return 0;
}

uint64_t rights_of(policy::AccessSet s) {
  uint64_t out = 0;
  for (size_t i = 0; i < policy::kAccessCount; i++)
    if (s & policy::bit(Access(i))) out |= rights_of(Access(i));
  return out;
}

// The first ABI with every right of `a`.
int abi_of(Access a) {
  switch (a) {
    case Access::rename: return landlock::kReferAbi;
    case Access::truncate: return landlock::kTruncateAbi;
    case Access::ioctl: return landlock::kIoctlDevAbi;
    default: return 1;
  }
}

}  // namespace

Result<landlock::Ruleset> landlock_ruleset(const policy::PathsPolicy& paths, int abi) {
  landlock::Ruleset r;
  r.scoped = (paths.scope_abstract_unix_sockets ? landlock::kScopeAbstractUnixSocket : 0) |
             (paths.scope_signals ? landlock::kScopeSignal : 0);
  if (r.scoped && abi < landlock::kScopeAbi)
    return Error(ENOTSUP, "paths.scope needs Landlock ABI " + std::to_string(landlock::kScopeAbi) +
                              " (Linux 6.12 or later); this kernel has ABI " + std::to_string(abi));
  const auto plan = policy::plan_paths(paths);
  for (size_t i = 0; i < policy::kAccessCount; i++) {
    Access a = Access(i);
    std::string name(policy::access_name(a));
    if (plan.enforcer[i] == Enforcer::supervisor)
      return Error(ENOTSUP, "paths: " + name + " needs the supervisor's path checks (" + plan.why[i] +
                                "), which this vigil does not have yet; Landlock holds a paths.default of deny "
                                "with allow rules on trees (DIR/**) and files");
    if (plan.enforcer[i] == Enforcer::landlock && abi < abi_of(a))
      return Error(ENOTSUP, "paths: " + name + " needs Landlock ABI " + std::to_string(abi_of(a)) +
                                "; this kernel has ABI " + std::to_string(abi));
  }
  r.handled_fs = rights_of(plan.with(Enforcer::landlock));
  if (r.handled_fs == 0) return r;
  // With any right handled, Landlock refuses moving a file to another directory unless a
  // rule grants REFER there (ABI 1 cannot grant it at all).
  if (abi < landlock::kReferAbi)
    return Error(ENOTSUP, "paths: rules need Landlock ABI " + std::to_string(landlock::kReferAbi) +
                              " (renames across directories); this kernel has ABI " + std::to_string(abi));
  r.handled_fs |= landlock::kRefer;
  if (plan.enforcer[size_t(Access::rename)] == Enforcer::none) r.rules.push_back({"/", true, landlock::kRefer});
  for (const auto& g : plan.grants) r.rules.push_back({g.path, g.tree, rights_of(g.accesses)});
  return r;
}

Result<landlock::Ruleset> landlock_ruleset(const policy::Policy& policy) {
  return landlock_ruleset(policy::paths_policy(policy), landlock::abi_version());
}

}  // namespace vigil
