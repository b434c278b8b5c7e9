#include "runtime/policy/memory_policy.hpp"

namespace vigil::policy {

MemoryPolicy memory_policy(const Policy& p) {
  MemoryPolicy m;
  auto get = [&](std::string_view name) { return p.get(*find_key("memory." + std::string(name))); };
  m.max = get("max").get<uint64_t>();
  m.vm_max = get("vm_max").get<uint64_t>();
  if (auto c = get("container_max"); c == "cgroup")
    m.container_max_from_cgroup = true;
  else
    m.container_max = c.get<uint64_t>();
  m.action = *parse_action(get("action").get<std::string>());
  return m;
}

}  // namespace vigil::policy
