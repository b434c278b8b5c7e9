// vigil's own policy (docs/POLICY.md): whether a container is supervised, and the sections
// the supervisor enforces (exec, memory, paths). A document is checked key by key against
// the schema below, so a typo is an error, never a silently ignored setting.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/base/error.hpp"

namespace vigil::policy {

// A scalar a policy may set: top level ("supervise") or in a section ("exec.require_pie").
// `stricter` is the value that tightens (annotations and profiles may only move towards it).
struct Key {
  std::string_view section;  // "" for the top level
  std::string_view name;
  bool stricter;  // every key so far is a boolean
  std::string dotted() const { return section.empty() ? std::string(name) : std::string(section) + "." + std::string(name); }
};

const std::vector<Key>& keys();
// The sections, each an object of its keys.
const std::vector<std::string_view>& sections();
const Key* find_key(std::string_view section, std::string_view name);

struct Policy {
  nlohmann::json doc = {{"version", 1}, {"supervise", false}};
  bool supervise() const { return doc.value("supervise", false); }
  // The value of `k` (its default, the looser one, when the document does not set it).
  bool get(const Key& k) const;
  void set(const Key& k, bool value);
};

// Every problem of `doc`, each "WHERE: PATH: what"; empty when valid.
std::vector<std::string> validate(const nlohmann::json& doc, const std::string& where);
// A policy file's text → Policy, or an error listing every problem.
Result<Policy> parse_policy(const std::string& text, const std::string& where);

}  // namespace vigil::policy
