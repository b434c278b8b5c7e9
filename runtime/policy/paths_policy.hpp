// The `paths` section of a policy as the runtime uses it: which files a container's
// processes may touch (docs/POLICY.md). So far its scopes: Landlock's, kernel-enforced.
#pragma once

#include "runtime/policy/policy.hpp"

namespace vigil::policy {

struct PathsPolicy {
  bool scope_abstract_unix_sockets = false;  // no connect to an abstract socket made outside
  bool scope_signals = false;                // no signal to a process outside
};

// From a validated policy; what it does not set keeps the defaults above.
PathsPolicy paths_policy(const Policy& p);

}  // namespace vigil::policy
