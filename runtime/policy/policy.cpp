#include "runtime/policy/policy.hpp"

namespace vigil::policy {

const std::vector<Key>& keys() {
  static const std::vector<Key> k = {
      {"", "supervise", true},
  };
  return k;
}

const std::vector<std::string_view>& sections() {
  static const std::vector<std::string_view> s = {"exec", "memory", "paths"};
  return s;
}

const Key* find_key(std::string_view section, std::string_view name) {
  for (const auto& k : keys())
    if (k.section == section && k.name == name) return &k;
  return nullptr;
}

bool Policy::get(const Key& k) const {
  const nlohmann::json* obj = &doc;
  if (!k.section.empty()) {
    auto s = doc.find(std::string(k.section));
    if (s == doc.end()) return !k.stricter;
    obj = &*s;
  }
  auto v = obj->find(std::string(k.name));
  return v == obj->end() ? !k.stricter : v->get<bool>();
}

void Policy::set(const Key& k, bool value) {
  if (k.section.empty()) doc[std::string(k.name)] = value;
  else doc[std::string(k.section)][std::string(k.name)] = value;
}

namespace {

void check_keys(const nlohmann::json& obj, std::string_view section, const std::string& path,
                const std::string& where, std::vector<std::string>& errors) {
  for (const auto& [name, value] : obj.items()) {
    std::string p = path.empty() ? name : path + "." + name;
    if (section.empty() && name == "version") {
      if (value != 1) errors.push_back(where + ": version: must be 1");
      continue;
    }
    bool is_section = false;
    for (auto s : sections()) is_section |= section.empty() && name == s;
    if (is_section) {
      if (!value.is_object()) errors.push_back(where + ": " + p + ": must be an object");
      else check_keys(value, name, p, where, errors);
      continue;
    }
    if (!find_key(section, name)) {
      errors.push_back(where + ": " + p + ": unknown key");
      continue;
    }
    if (!value.is_boolean()) errors.push_back(where + ": " + p + ": must be true or false");
  }
}

}  // namespace

std::vector<std::string> validate(const nlohmann::json& doc, const std::string& where) {
  std::vector<std::string> errors;
  if (!doc.is_object()) return {where + ": a policy must be a JSON object"};
  if (!doc.contains("version")) errors.push_back(where + ": version: is required (1)");
  check_keys(doc, "", "", where, errors);
  return errors;
}

Result<Policy> parse_policy(const std::string& text, const std::string& where) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return Error(EINVAL, where + ": invalid JSON: " + e.what());
  }
  auto errors = validate(doc, where);
  if (!errors.empty()) {
    std::string all;
    for (const auto& e : errors) all += (all.empty() ? "" : "\n") + e;
    return Error(EINVAL, all);
  }
  return Policy{doc};
}

}  // namespace vigil::policy
