#include "runtime/policy/paths_policy.hpp"

#include <array>

namespace vigil::policy {
namespace {

// Indexed by Access.
constexpr std::array<std::string_view, kAccessCount> kAccessNames = {
    "read", "write", "list", "create", "delete", "rename", "truncate", "exec", "ioctl", "chmod", "chown"};

}  // namespace

std::string_view access_name(Access a) { return kAccessNames[size_t(a)]; }

std::optional<Access> parse_access(std::string_view name) {
  for (size_t i = 0; i < kAccessNames.size(); i++)
    if (kAccessNames[i] == name) return Access(i);
  return std::nullopt;
}

std::string access_names(AccessSet s) {
  std::string out;
  for (size_t i = 0; i < kAccessCount; i++)
    if (s & bit(Access(i))) out += (out.empty() ? "" : ", ") + std::string(kAccessNames[i]);
  return out;
}

PathsPolicy::Match PathsPolicy::match(Access a, std::string_view path) const {
  std::string listed;
  if (a == Access::list) {
    listed = std::string(path);
    if (listed.empty() || listed.back() != '/') listed += '/';
    path = listed;
  }
  for (size_t i = rules.size(); i-- > 0;)
    if ((rules[i].accesses & bit(a)) && rules[i].glob.matches(path))
      return {rules[i].action, paths_rule_name(i)};
  return {default_action, "paths.default"};
}

std::string paths_rule_name(size_t i) { return "paths.rules[" + std::to_string(i) + "]"; }

PathsPolicy paths_policy(const Policy& p) {
  auto get = [&](std::string_view name) { return p.get(*find_key("paths." + std::string(name))); };
  PathsPolicy out;
  out.default_action = *parse_action(get("default").get<std::string>());
  for (const auto& r : get("rules")) {
    AccessSet accesses = 0;
    for (const auto& a : r["access"]) accesses |= bit(*parse_access(a.get<std::string>()));
    out.rules.emplace_back(r["path"].get<std::string>(), accesses, *parse_action(r["action"].get<std::string>()));
  }
  out.scope_abstract_unix_sockets = get("scope.abstract_unix_sockets").get<bool>();
  out.scope_signals = get("scope.signals").get<bool>();
  out.learn = p.learn();
  return out;
}

}  // namespace vigil::policy
