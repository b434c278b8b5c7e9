// cgroup v2 has no devices controller: device rules are an eBPF program of type
// BPF_PROG_TYPE_CGROUP_DEVICE attached to the container's cgroup, compiled here from the
// same ordered rules v1 writes to devices.allow/deny.
#pragma once

#include <linux/bpf.h>

#include <vector>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"
#include "runtime/cgroup/resources.hpp"

namespace vigil::cgroup {

// The rules are checked last to first and the first that matches decides, which is what
// applying them in order means: a later rule overrides an earlier one. An allow rule matches
// when it grants every access asked for; a deny rule when it denies any of them. No match
// allows, as a new v1 cgroup inherits "a *:* rwm" (the configs start with a deny-all).
std::vector<bpf_insn> compile_device_filter(const std::vector<DeviceRule>& rules);

Result<unique_fd> load_device_filter(const std::vector<bpf_insn>& program);
// Attaches alongside whatever is there (BPF_F_ALLOW_MULTI); it goes with the cgroup.
Status attach_device_filter(int cgroup_dir_fd, int program_fd);

}  // namespace vigil::cgroup
