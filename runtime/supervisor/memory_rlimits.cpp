#include "runtime/supervisor/memory_rlimits.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace vigil::supervisor {

void apply_memory_rlimits(nlohmann::json& process, const policy::MemoryPolicy& m) {
  if (m.action != policy::Action::deny) return;
  auto cap = [&](const char* type, uint64_t limit) {
    if (!limit) return;
    auto& list = process["rlimits"];
    if (!list.is_array()) list = nlohmann::json::array();
    auto it = std::find_if(list.begin(), list.end(), [&](const nlohmann::json& r) { return r.value("type", "") == type; });
    if (it == list.end()) {
      list.push_back({{"type", type}, {"soft", limit}, {"hard", limit}});
      return;
    }
    for (const char* which : {"soft", "hard"}) (*it)[which] = std::min((*it)[which].get<uint64_t>(), limit);
  };
  cap("RLIMIT_DATA", m.max);
  cap("RLIMIT_AS", m.vm_max);
}

bool may_raise_rlimits(const oci::Spec& spec, const policy::MemoryPolicy& m) {
  if (m.action != policy::Action::deny || !(m.max || m.vm_max)) return false;
  if (spec.linux.has(oci::NamespaceType::user) || !spec.process || !spec.process->capabilities) return false;
  const auto& bounding = spec.process->capabilities->bounding;
  return std::find(bounding.begin(), bounding.end(), "CAP_SYS_RESOURCE") != bounding.end();
}

}  // namespace vigil::supervisor
