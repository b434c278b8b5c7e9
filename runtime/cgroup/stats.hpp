// Resource usage in the shape runc prints for `events --stats` and containerd parses
// (runc's libcontainer/cgroups Stats, as JSON): cpu, memory, pids, blkio, hugetlb.
#pragma once

#include <nlohmann/json.hpp>

#include "runtime/cgroup/cgroup.hpp"

namespace vigil::cgroup {

nlohmann::json read_stats(const Cgroup& cg);

// The number of OOM kills the memory controller has counted (v1 memory.oom_control, v2
// memory.events); nullopt without a memory controller.
std::optional<uint64_t> oom_kills(const Cgroup& cg);

}  // namespace vigil::cgroup
