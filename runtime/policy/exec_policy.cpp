#include "runtime/policy/exec_policy.hpp"

namespace vigil::policy {

std::optional<Checksum> parse_checksum(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  Checksum c{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
  size_t digits = c.algo == "sha256" ? 64 : c.algo == "sha512" ? 128 : 0;
  if (digits == 0 || c.hex.size() != digits) return std::nullopt;
  for (auto& ch : c.hex) {
    if (ch >= 'A' && ch <= 'F') ch = char(ch - 'A' + 'a');
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return std::nullopt;
  }
  return c;
}

ExecPolicy::Match ExecPolicy::match(std::string_view path) const {
  for (size_t i = rules.size(); i-- > 0;)
    if (rules[i].glob.matches(path)) return {rules[i].action, "exec.rules[" + std::to_string(i) + "]"};
  return {default_action, "exec.default"};
}

bool ExecPolicy::checks_libraries() const {
  return !rules.empty() || default_action != Action::allow || !checksums.empty() || unlisted != Action::allow ||
         deny_execstack || deny_wx || tpe || learn;
}

bool ExecPolicy::judges_exec() const {
  return checks_libraries() || require_pie || deny_ldso || deny_elf32 || deny_static || deny_dynamic || !allow_memfd;
}

ExecPolicy exec_policy(const Policy& p) {
  auto get = [&](const std::string& name) { return p.get(*find_key("exec." + name)); };
  auto action = [&](const std::string& name) { return *parse_action(get(name).get<std::string>()); };
  ExecPolicy e;
  e.default_action = action("default");
  for (const auto& r : get("rules")) e.rules.emplace_back(r["path"].get<std::string>(), *parse_action(r["action"].get<std::string>()));
  e.require_pie = get("require_pie");
  e.deny_execstack = get("deny_execstack");
  e.deny_ldso = get("deny_ldso");
  e.deny_elf32 = get("deny_elf32");
  e.deny_static = get("deny_static");
  e.deny_dynamic = get("deny_dynamic");
  e.deny_wx = get("deny_wx");
  e.allow_memfd = get("allow_memfd");
  e.allow_debuggers = get("allow_debuggers");
  const auto sums = get("checksums");
  for (const auto& [file, sum] : sums.items()) e.checksums[file] = *parse_checksum(sum.get<std::string>());
  e.unlisted = action("unlisted");
  e.tpe = get("tpe.enabled");
  e.trusted_uids = get("tpe.trusted_uids").get<std::vector<uint32_t>>();
  e.learn = p.learn();
  return e;
}

}  // namespace vigil::policy
