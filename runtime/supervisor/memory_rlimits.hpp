// The part of a memory policy the kernel enforces by itself, at no cost per call
// (docs/POLICY.md, "Memory"): with action deny, memory.max is the processes' RLIMIT_DATA
// (brk and private writable mappings, MAP_NORESERVE or not, and mprotect making a mapping
// writable) and memory.vm_max their RLIMIT_AS (the virtual size).
#pragma once

#include <nlohmann/json.hpp>

#include "oci/spec.hpp"
#include "runtime/base/error.hpp"
#include "runtime/policy/memory_policy.hpp"

namespace vigil::supervisor {

// `process` (a config's process object) with RLIMIT_DATA at most memory.max and RLIMIT_AS at
// most memory.vm_max, soft and hard; lower limits of its own are kept.
void apply_memory_rlimits(nlohmann::json& process, const policy::MemoryPolicy& m);

// Whether a process of `spec` could raise its hard limits again: CAP_SYS_RESOURCE in its
// bounding set, in the host's user namespace (one of its own gives no such power). Only then
// must the filter refuse setrlimit and prlimit64 of RLIMIT_DATA and RLIMIT_AS.
bool may_raise_rlimits(const oci::Spec& spec, const policy::MemoryPolicy& m);

// Whether the runtime holds CAP_SYS_RESOURCE (in its bounding set, as root): the supervisor
// then keeps it to set any process's RLIMIT_DATA.
bool runtime_has_sys_resource();

// Whether the supervisor may set the RLIMIT_DATA of every process of `spec` (prlimit): it
// keeps CAP_SYS_RESOURCE where the runtime has it; else only processes whose uids and gids
// are all its own, root's, outside a user namespace (docs/POLICY.md says what is left).
bool supervisor_sets_data_limit(const oci::Spec& spec);

// Sets the soft RLIMIT_DATA of `pid` (a thread id will do) to `bytes`, at most its hard limit,
// which stays.
Status set_data_soft_limit(pid_t pid, uint64_t bytes);

}  // namespace vigil::supervisor
