// state and list: read-only, so no lock; a container mid-create has no state.json yet.
#include "runtime/container/container.hpp"
#include "runtime/container/status.hpp"
#include "runtime/container/store.hpp"

namespace vigil {

Result<nlohmann::json> container_state(const std::string& root, const std::string& id) {
  auto dir = TRY(ContainerDir::open(root, id, false));
  auto state = TRY(dir.load());
  return oci::public_state(state, container_status(dir, state));
}

std::vector<nlohmann::json> list_containers(const std::string& root) {
  std::vector<nlohmann::json> out;
  for (const auto& id : list_container_ids(root))
    if (auto s = container_state(root, id)) out.push_back(std::move(*s));
  return out;
}

}  // namespace vigil
