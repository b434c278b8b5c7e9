#include "runtime/supervisor/memory_watch.hpp"

namespace vigil::supervisor {

MemoryWatch memory_watch(const policy::MemoryPolicy& m, bool sets_data_limit) {
  MemoryWatch w;
  w.committed = m.max || m.container_max;
  w.virtual_ = m.vm_max && m.action != policy::Action::deny;
  w.data_room = m.action == policy::Action::deny && m.max && !m.container_max && sets_data_limit;
  w.brk = w.any() && !w.data_room;
  return w;
}

policy::MemoryPolicy resolve_container_max(policy::MemoryPolicy m, const nlohmann::json& resources) {
  if (!m.container_max_from_cgroup) return m;
  const nlohmann::json* limit = nullptr;
  if (resources.is_object() && resources.contains("memory") && resources["memory"].is_object() &&
      resources["memory"].contains("limit"))
    limit = &resources["memory"]["limit"];
  // -1 is runc's "unlimited".
  m.container_max = limit && limit->is_number_integer() && limit->get<int64_t>() > 0 ? limit->get<uint64_t>() : 0;
  return m;
}

}  // namespace vigil::supervisor
