#include "runtime/cgroup/device_rules.hpp"

namespace vigil::cgroup {
namespace {

DeviceRule allow(char type, std::optional<int64_t> major, std::optional<int64_t> minor, const char* access) {
  return {true, type, major, minor, access};
}

}  // namespace

std::vector<DeviceRule> effective_device_rules(const std::vector<DeviceRule>& config,
                                               const std::vector<oci::Device>& devices) {
  if (config.empty()) return {};
  std::vector<DeviceRule> out = config;
  const DeviceRule always[] = {
      allow('c', std::nullopt, std::nullopt, "m"), allow('b', std::nullopt, std::nullopt, "m"),
      allow('c', 1, 3, "rwm"),  allow('c', 1, 5, "rwm"),  allow('c', 1, 7, "rwm"),  // null zero full
      allow('c', 1, 8, "rwm"),  allow('c', 1, 9, "rwm"),  allow('c', 5, 0, "rwm"),  // random urandom tty
      allow('c', 5, 1, "rwm"),  allow('c', 5, 2, "rwm"),  allow('c', 136, std::nullopt, "rwm"),  // console ptmx pts
  };
  out.insert(out.end(), std::begin(always), std::end(always));
  for (const auto& d : devices)
    if (d.type != 'p') out.push_back(allow(d.type == 'b' ? 'b' : 'c', d.major, d.minor, "rwm"));
  return out;
}

}  // namespace vigil::cgroup
