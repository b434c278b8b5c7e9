// The paths section's enforcement: the plan's grants as a Landlock ruleset for the init
// request, in the kernel's rights, checked against the running kernel's ABI; and the
// accesses left to the supervisor. Never silently weaker: a right the kernel lacks is the
// supervisor's in a supervised container, and a right no mechanism here holds, or a rule,
// refuses the container.
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

// What the supervisor judges: every access but ioctl, whose argument is in the process's
// memory (which it may change after a check): the supervisor can neither make the call for
// it nor let it run unchanged. Only Landlock holds ioctl.
constexpr policy::AccessSet kSupervised = policy::kAllAccesses & ~policy::bit(Access::ioctl);

// The plan on this kernel: in a supervised container, an access whose Landlock right is newer
// than the kernel's ABI (truncate before Linux 6.2) is the supervisor's, as strict at a
// notification per call.
policy::PathsPlan for_kernel(policy::PathsPlan plan, int abi, bool supervised) {
  for (size_t i = 0; i < policy::kAccessCount; i++) {
    Access a = Access(i);
    if (plan.enforcer[i] != Enforcer::landlock || abi >= abi_of(a) || !supervised || !(kSupervised & policy::bit(a)))
      continue;
    plan.enforcer[i] = Enforcer::supervisor;
    plan.why[i] = "Landlock holds it from ABI " + std::to_string(abi_of(a)) + "; this kernel has ABI " + std::to_string(abi);
    for (auto& g : plan.grants) g.accesses &= ~policy::bit(a);
  }
  std::erase_if(plan.grants, [](const policy::Grant& g) { return g.accesses == 0; });
  return plan;
}

// Why create refuses access `a` of `plan`, if it does.
enum class Refusal { none, not_covered, not_supervised, old_abi };
Refusal refusal_of(const policy::PathsPlan& plan, Access a, int abi, bool supervised) {
  Enforcer e = plan.enforcer[size_t(a)];
  if (e == Enforcer::supervisor && !(kSupervised & policy::bit(a))) return Refusal::not_covered;
  if (e == Enforcer::supervisor && !supervised) return Refusal::not_supervised;
  if (e == Enforcer::landlock && abi < abi_of(a)) return Refusal::old_abi;
  return Refusal::none;
}

}  // namespace

Result<PathsRequest> paths_request(const policy::PathsPolicy& paths, int abi, bool supervised) {
  PathsRequest out;
  landlock::Ruleset& r = out.landlock;
  r.scoped = (paths.scope_abstract_unix_sockets ? landlock::kScopeAbstractUnixSocket : 0) |
             (paths.scope_signals ? landlock::kScopeSignal : 0);
  if (r.scoped && abi < landlock::kScopeAbi)
    return Error(ENOTSUP, "paths.scope needs Landlock ABI " + std::to_string(landlock::kScopeAbi) +
                              " (Linux 6.12 or later); this kernel has ABI " + std::to_string(abi));
  const auto plan = for_kernel(policy::plan_paths(paths), abi, supervised);
  for (size_t i = 0; i < policy::kAccessCount; i++) {
    Access a = Access(i);
    std::string name(policy::access_name(a));
    switch (refusal_of(plan, a, abi, supervised)) {
      case Refusal::none: break;
      case Refusal::not_covered:
        return Error(ENOTSUP, "paths: " + name + " needs the supervisor's path checks (" + plan.why[i] +
                                  "), which cannot hold it; Landlock holds it with a paths.default of deny and allow rules "
                                  "on trees (DIR/**) and files");
      case Refusal::not_supervised:
        return Error(EINVAL, "paths: " + name + " needs the supervisor (" + plan.why[i] + "): the policy must say \"supervise\": true");
      case Refusal::old_abi:
        return Error(ENOTSUP, "paths: " + name + " needs Landlock ABI " + std::to_string(abi_of(a)) +
                                  "; this kernel has ABI " + std::to_string(abi));
    }
  }
  out.judged = plan.with(Enforcer::supervisor);
  r.handled_fs = rights_of(plan.with(Enforcer::landlock));
  if (r.handled_fs == 0) return out;
  // With any right handled, Landlock refuses moving a file to another directory unless a
  // rule grants REFER there (ABI 1 cannot grant it at all).
  if (abi < landlock::kReferAbi)
    return Error(ENOTSUP, "paths: rules need Landlock ABI " + std::to_string(landlock::kReferAbi) +
                              " (renames across directories); this kernel has ABI " + std::to_string(abi));
  r.handled_fs |= landlock::kRefer;
  if (plan.enforcer[size_t(Access::rename)] == Enforcer::none) r.rules.push_back({"/", true, landlock::kRefer});
  for (const auto& g : plan.grants) r.rules.push_back({g.path, g.tree, rights_of(g.accesses)});
  return out;
}

std::vector<std::string> explain_paths(const policy::PathsPolicy& paths, int abi, bool supervised) {
  std::vector<std::string> out;
  const auto plan = for_kernel(policy::plan_paths(paths), abi, supervised);
  for (size_t i = 0; i < policy::kAccessCount; i++) {
    Access a = Access(i);
    std::string line = "paths " + std::string(policy::access_name(a)) + ": ";
    std::string grants;
    for (const auto& g : plan.grants)
      if (g.accesses & policy::bit(a)) grants += (grants.empty() ? "" : ", ") + g.path + (g.tree ? "/**" : "");
    switch (refusal_of(plan, a, abi, supervised)) {
      case Refusal::not_covered:
        line += "refused at create: the supervisor's path checks cannot hold it; " + plan.why[i];
        break;
      case Refusal::not_supervised:
        line += "refused at create: needs the supervisor, and the policy does not supervise; " + plan.why[i];
        break;
      case Refusal::old_abi:
        line += "refused at create: needs Landlock ABI " + std::to_string(abi_of(a)) + ", this kernel has " + std::to_string(abi);
        break;
      case Refusal::none:
        line += plan.enforcer[i] == Enforcer::none ? "not enforced, allowed everywhere (free)"
                : plan.enforcer[i] == Enforcer::landlock
                    ? "landlock (free), allowed in " + (grants.empty() ? std::string("nothing") : grants) + ", refused elsewhere"
                    : "supervisor (a notification per call asking for it); " + plan.why[i];
        break;
    }
    out.push_back(line);
  }
  if (paths.scope_abstract_unix_sockets || paths.scope_signals)
    out.push_back(std::string("paths scope: ") + (abi < landlock::kScopeAbi ? "refused at create: needs Landlock ABI 6" : "landlock (free)") +
                  (paths.scope_abstract_unix_sockets ? ", abstract unix sockets" : "") + (paths.scope_signals ? ", signals" : ""));
  return out;
}

Result<PathsRequest> paths_request(const policy::Policy& policy) {
  return paths_request(policy::paths_policy(policy), landlock::abi_version(), policy.supervise());
}

}  // namespace vigil
