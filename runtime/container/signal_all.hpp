#pragma once

#include "runtime/base/error.hpp"
#include "runtime/cgroup/cgroup.hpp"

namespace vigil {

// Signals every process in the container's cgroup: SIGKILL through cgroup.kill where a v2
// hierarchy has it; else each pid is pinned with a pidfd and then checked to still be in the
// cgroup, so a recycled pid is never signalled.
Status signal_all(const cgroup::Cgroup& cg, int sig);

}  // namespace vigil
