// The `memory` section of a policy as the runtime and the supervisor use it: how much memory
// a process, and the whole container, may commit (docs/POLICY.md).
#pragma once

#include <cstdint>

#include "runtime/policy/action.hpp"
#include "runtime/policy/policy.hpp"

namespace vigil::policy {

// A limit no figure reaches: what learn mode watches with (docs/POLICY.md, "Learning").
constexpr uint64_t kNoLimit = UINT64_MAX / 2;

struct MemoryPolicy {
  uint64_t max = 0;            // per process, its commitment; 0: no limit
  uint64_t vm_max = 0;         // per process, its virtual size; 0: no limit
  uint64_t container_max = 0;  // all processes' commitments together; 0: no limit
  bool container_max_from_cgroup = false;  // "cgroup": the spec's memory limit, set at create
  Action action = Action::deny;            // warn, deny or kill
};

// From a validated policy; what it does not set keeps the defaults above.
MemoryPolicy memory_policy(const Policy& p);

}  // namespace vigil::policy
