#include "runtime/policy/paths_policy.hpp"

namespace vigil::policy {

PathsPolicy paths_policy(const Policy& p) {
  auto get = [&](std::string_view name) { return p.get(*find_key("paths." + std::string(name))).get<bool>(); };
  return {get("scope.abstract_unix_sockets"), get("scope.signals")};
}

}  // namespace vigil::policy
