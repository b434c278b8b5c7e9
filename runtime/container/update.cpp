#include "runtime/base/log.hpp"
#include "runtime/container/container.hpp"
#include "runtime/container/handle.hpp"

namespace vigil {

Status update_container(const std::string& root, const std::string& id, cgroup::Resources r) {
  auto c = TRY(Container::open(root, id));
  if (c.status() == "stopped") return Error(EINVAL, "cannot update container " + id + ": it is stopped");
  // Rewriting device rules on a live v1 cgroup would deny everything for a moment.
  r.devices.clear();
  std::vector<std::string> skipped;
  TRY_CTX(c.cgroup.update(r, &skipped), "update container " + id);
  for (const auto& w : skipped) log_warn(w);
  return {};
}

}  // namespace vigil
