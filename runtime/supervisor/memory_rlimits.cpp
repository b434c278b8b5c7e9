#include "runtime/supervisor/memory_rlimits.hpp"

#include <linux/capability.h>
#include <sys/prctl.h>
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

bool runtime_has_sys_resource() { return ::prctl(PR_CAPBSET_READ, CAP_SYS_RESOURCE, 0, 0, 0) == 1; }

bool supervisor_sets_data_limit(const oci::Spec& spec) {
  if (runtime_has_sys_resource()) return true;
  if (spec.linux.has(oci::NamespaceType::user) || !spec.process) return false;
  return spec.process->user.uid == 0 && spec.process->user.gid == 0;
}

Status set_data_soft_limit(pid_t pid, uint64_t bytes) {
  rlimit now{};
  if (::prlimit(pid, RLIMIT_DATA, nullptr, &now) < 0) return Error::from_errno("prlimit " + std::to_string(pid));
  rlimit want{std::min<rlim_t>(bytes, now.rlim_max), now.rlim_max};
  if (want.rlim_cur == now.rlim_cur) return {};
  if (::prlimit(pid, RLIMIT_DATA, &want, nullptr) < 0) return Error::from_errno("prlimit " + std::to_string(pid));
  return {};
}

}  // namespace vigil::supervisor
