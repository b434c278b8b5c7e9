#include "runtime/policy/policy.hpp"

#include "runtime/base/json_parse.hpp"
#include "runtime/policy/kind.hpp"

namespace vigil::policy {

using nlohmann::json;

// Each boolean names its stricter value: true for what turns a check on, false for what
// lets something through (allow_memfd, allow_debuggers).
const std::vector<Key>& keys() {
  static const std::vector<Key> k = {
      {"", "supervise", boolean(true), false},
      {"", "allow_learn", boolean(false), false},
      {"", "learn", learn(), false},
      {"exec", "default", action(), "allow"},
      {"exec", "rules", exec_rules(), json::array()},
      {"exec", "require_pie", boolean(true), false},
      {"exec", "deny_execstack", boolean(true), false},
      {"exec", "deny_ldso", boolean(true), false},
      {"exec", "deny_elf32", boolean(true), false},
      {"exec", "deny_static", boolean(true), false},
      {"exec", "deny_dynamic", boolean(true), false},
      {"exec", "deny_wx", boolean(true), false},
      {"exec", "allow_memfd", boolean(false), false},
      {"exec", "allow_debuggers", boolean(false), false},
      {"exec", "checksums", checksums(), json::object()},
      {"exec", "unlisted", action(), "allow"},
      {"exec", "tpe.enabled", boolean(true), false},
      {"exec", "tpe.trusted_uids", trusted_uids(), json::array({0})},
      {"memory", "max", size(false), 0},
      {"memory", "vm_max", size(false), 0},
      {"memory", "container_max", size(true), 0},
      {"memory", "action", memory_action(), "deny"},
      {"paths", "default", action(), "allow"},
      {"paths", "rules", path_rules(), json::array()},
      {"paths", "scope.abstract_unix_sockets", boolean(true), false},
      {"paths", "scope.signals", boolean(true), false},
  };
  return k;
}

const std::vector<std::string_view>& sections() {
  static const std::vector<std::string_view> s = {"exec", "memory", "paths"};
  return s;
}

std::string Key::dotted() const {
  return section.empty() ? std::string(name) : std::string(section) + "." + std::string(name);
}

json::json_pointer Key::pointer() const {
  std::string p = "/" + dotted();
  for (auto& c : p) c = c == '.' ? '/' : c;
  return json::json_pointer(p);
}

const Key* find_key(std::string_view dotted) {
  for (const auto& k : keys())
    if (k.dotted() == dotted) return &k;
  return nullptr;
}

json Policy::get(const Key& k) const { return doc.contains(k.pointer()) ? doc.at(k.pointer()) : k.fallback; }

void Policy::set(const Key& k, json value) { doc[k.pointer()] = std::move(value); }

namespace {

// Whether `dotted` is an object of the schema: a section, or one a dotted key nests in.
bool is_object(const std::string& dotted) {
  for (auto s : sections())
    if (s == dotted) return true;
  for (const auto& k : keys())
    if (k.dotted().rfind(dotted + ".", 0) == 0) return true;
  return false;
}

void check_object(const json& obj, const std::string& at, std::vector<std::string>& problems) {
  for (const auto& [name, value] : obj.items()) {
    std::string p = at.empty() ? name : at + "." + name;
    if (at.empty() && name == "version") {
      if (value != 1) problems.push_back("version: must be 1");
      continue;
    }
    // A dot in a member's own name would pass for the nested key it spells.
    bool dotless = name.find('.') == std::string::npos;
    if (const Key* k = dotless ? find_key(p) : nullptr) {
      k->kind.check(value, p, problems);
    } else if (dotless && is_object(p)) {
      if (!value.is_object()) problems.push_back(p + ": must be an object");
      else check_object(value, p, problems);
    } else {
      problems.push_back(p + (dotless ? ": unknown key" : ": unknown key (nest objects, do not dot names)"));
    }
  }
}

}  // namespace

std::vector<std::string> validate(const json& doc, const std::string& where) {
  if (!doc.is_object()) return {where + ": a policy must be a JSON object"};
  std::vector<std::string> problems;
  if (!doc.contains("version")) problems.push_back("version: is required (1)");
  check_object(doc, "", problems);
  for (auto& p : problems) p = where + ": " + p;
  return problems;
}

Result<Policy> parse_policy(const std::string& text, const std::string& where) {
  json doc = TRY(parse_json(text, where));
  auto errors = validate(doc, where);
  if (!errors.empty()) {
    std::string all;
    for (const auto& e : errors) all += (all.empty() ? "" : "\n") + e;
    return Error(EINVAL, all);
  }
  for (const auto& k : keys())
    if (doc.contains(k.pointer())) doc[k.pointer()] = k.kind.canonical(doc[k.pointer()]);
  return Policy{doc};
}

}  // namespace vigil::policy
