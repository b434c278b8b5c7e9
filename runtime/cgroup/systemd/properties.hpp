// A container's resources as systemd unit properties (org.freedesktop.systemd1.Scope), for
// the ones systemd has: set when the scope starts and on update, so that systemd's view
// agrees with the cgroup's and a daemon-reload keeps them. Everything (these too) is also
// written to the delegated cgroup as the cgroupfs driver writes it. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "runtime/base/error.hpp"
#include "runtime/cgroup/resources.hpp"

namespace vigil::cgroup::systemd {

// A D-Bus value of one of the types these properties take: b, t, s, au, ay.
using Value = std::variant<bool, uint64_t, std::string, std::vector<uint32_t>, std::vector<uint8_t>>;

struct Property {
  std::string name;
  Value value;
  bool operator==(const Property&) const = default;
};

// "infinity" in a systemd limit.
constexpr uint64_t kInfinity = UINT64_MAX;

Result<std::vector<Property>> resource_properties(const Resources& r);

// A cpuset list ("0-3,8") as systemd's AllowedCPUs bitmask: bit j of byte i is CPU 8i+j.
Result<std::vector<uint8_t>> cpu_mask(const std::string& list);

}  // namespace vigil::cgroup::systemd
