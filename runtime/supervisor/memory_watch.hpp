// Which of a memory policy's limits the kernel holds by itself (memory_rlimits.hpp) and
// which calls the supervisor must see for the rest (docs/POLICY.md, "What enforces it").
// With action deny the kernel refuses private memory past memory.max (RLIMIT_DATA) and any
// mapping past memory.vm_max (RLIMIT_AS). RLIMIT_DATA does not see shared memory, so with a
// memory.max every call that commits memory is notified as well, private and shared added
// up, the rlimit staying as a backstop; no rlimit can warn, kill or add up a container.
#pragma once

#include <nlohmann/json.hpp>

#include "runtime/policy/memory_policy.hpp"

namespace vigil::supervisor {

struct MemoryWatch {
  // brk, writable or MAP_SHARED maps, mprotect to writable, mremap, shmat
  bool committed = false;
  bool virtual_ = false;  // every map, brk, mremap, shmat: the virtual size
  bool any() const { return committed || virtual_; }
};

// `m`'s container_max resolved already (a byte count, or 0).
MemoryWatch memory_watch(const policy::MemoryPolicy& m);

// memory.container_max "cgroup": the config's memory limit (linux.resources.memory.limit),
// or none when it sets none (a pod's sandbox container has none). container_max_from_cgroup
// stays: the kernel's own part of the cgroup then counts too (memory_ledger.hpp).
policy::MemoryPolicy resolve_container_max(policy::MemoryPolicy m, const nlohmann::json& resources);

}  // namespace vigil::supervisor
