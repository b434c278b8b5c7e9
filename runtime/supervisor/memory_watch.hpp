// Which of a memory policy's limits the kernel holds by itself (memory_rlimits.hpp) and
// which calls the supervisor must see for the rest (docs/POLICY.md, "What enforces it").
// With action deny the kernel refuses private memory past memory.max (RLIMIT_DATA) and any
// mapping past memory.vm_max (RLIMIT_AS). RLIMIT_DATA does not see shared memory, so with a
// memory.max every map that commits memory is notified as well, private and shared added
// up, the rlimit staying as a backstop; no rlimit can warn, kill or add up a container.
// brk, the call a heap makes thousands of times, is left to RLIMIT_DATA where it can be: with
// action deny, no container_max, and a supervisor that may set every process's soft limit,
// which it keeps at memory.max less the shared memory the process maps (data_room).
#pragma once

#include <nlohmann/json.hpp>

#include "runtime/policy/memory_policy.hpp"

namespace vigil::supervisor {

struct MemoryWatch {
  // brk, writable or MAP_SHARED maps, mprotect to writable, mremap, shmat
  bool committed = false;
  bool virtual_ = false;  // every map, brk, mremap, shmat: the virtual size
  bool brk = false;       // brk that moves the break (else RLIMIT_DATA holds it)
  bool data_room = false;  // the supervisor sets each process's soft RLIMIT_DATA
  bool any() const { return committed || virtual_; }
};

// `m`'s container_max resolved already (a byte count, or 0). `sets_data_limit`:
// supervisor_sets_data_limit() of the container.
MemoryWatch memory_watch(const policy::MemoryPolicy& m, bool sets_data_limit);

// memory.container_max "cgroup": the config's memory limit (linux.resources.memory.limit),
// or none when it sets none (a pod's sandbox container has none). container_max_from_cgroup
// stays: the kernel's own part of the cgroup then counts too (memory_ledger.hpp).
policy::MemoryPolicy resolve_container_max(policy::MemoryPolicy m, const nlohmann::json& resources);

}  // namespace vigil::supervisor
