#pragma once

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"
#include "runtime/cgroup/cgroup.hpp"

namespace vigil::cgroup {

// An fd that becomes readable when the memory controller may have OOM-killed something:
// an eventfd registered on memory.oom_control (v1) or an inotify watch of memory.events
// (v2). Drain it with drain_oom_notifier and compare oom_kills() to know.
Result<unique_fd> oom_notifier(const Cgroup& cg);
void drain_oom_notifier(int fd);

}  // namespace vigil::cgroup
