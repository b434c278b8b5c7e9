// state, list and ps: read-only, so no lock; a container mid-create has no state.json yet.
#include "runtime/base/file.hpp"
#include "runtime/container/container.hpp"
#include "runtime/container/handle.hpp"

namespace vigil {

Result<nlohmann::json> container_state(const std::string& root, const std::string& id) {
  auto c = TRY(Container::open(root, id, false));
  return oci::public_state(c.state, c.status());
}

std::vector<nlohmann::json> list_containers(const std::string& root) {
  std::vector<nlohmann::json> out;
  for (const auto& id : list_container_ids(root))
    if (auto s = container_state(root, id)) out.push_back(std::move(*s));
  return out;
}

Result<policy::Policy> container_policy(const std::string& root, const std::string& id) {
  auto c = TRY(Container::open(root, id, false));
  auto text = TRY(read_file(c.dir.policy_path()));
  return policy::parse_policy(text, c.dir.policy_path());
}

Result<std::vector<pid_t>> container_pids(const std::string& root, const std::string& id) {
  auto c = TRY(Container::open(root, id, false));
  return c.cgroup.pids();
}

}  // namespace vigil
