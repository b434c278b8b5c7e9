#pragma once

#include <vector>

#include "oci/spec.hpp"
#include "runtime/cgroup/resources.hpp"

namespace vigil::cgroup {

// The device rules to apply: the config's, in order, then what every container needs no
// matter what the config denied (the devices the runtime itself provides, its terminals,
// mknod of anything, as runc allows), then each linux.devices entry. Nothing when the config
// has no rules: the cgroup then inherits its parent's.
std::vector<DeviceRule> effective_device_rules(const std::vector<DeviceRule>& config,
                                               const std::vector<oci::Device>& devices);

}  // namespace vigil::cgroup
