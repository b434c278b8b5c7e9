#include "runtime/container/container.hpp"
#include "runtime/landlock/landlock.hpp"
#include "runtime/policy/paths_policy.hpp"

namespace vigil {

Result<uint64_t> landlock_scope(const policy::Policy& policy) {
  const auto paths = policy::paths_policy(policy);
  uint64_t scoped = (paths.scope_abstract_unix_sockets ? landlock::kScopeAbstractUnixSocket : 0) |
                    (paths.scope_signals ? landlock::kScopeSignal : 0);
  // Never silently weaker: a kernel without the scopes runs no container that asks for them.
  if (scoped && landlock::abi_version() < landlock::kScopeAbi)
    return Error(ENOTSUP, "paths.scope needs Landlock ABI " + std::to_string(landlock::kScopeAbi) +
                              " (Linux 6.12 or later); this kernel has ABI " + std::to_string(landlock::abi_version()));
  return scoped;
}

}  // namespace vigil
