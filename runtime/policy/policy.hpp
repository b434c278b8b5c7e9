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

class Kind;

// A setting a policy may hold: top level ("supervise") or in a section, where a dotted name
// is a key of a nested object ("exec" "tpe.enabled" is {"exec": {"tpe": {"enabled": …}}}).
// Its kind (runtime/policy/kind.hpp) says what values it takes, whether an annotation may
// set it and how a profile or an annotation may tighten it.
struct Key {
  std::string_view section;  // "" for the top level
  std::string_view name;
  const Kind& kind;
  nlohmann::json fallback;  // the value when a document does not set it
  std::string dotted() const;
  nlohmann::json::json_pointer pointer() const;
};

const std::vector<Key>& keys();
// The sections, each an object of its keys (a section may have none yet).
const std::vector<std::string_view>& sections();
// The key of a dotted name ("supervise", "exec.tpe.enabled"), or nullptr.
const Key* find_key(std::string_view dotted);

struct Policy {
  nlohmann::json doc = {{"version", 1}, {"supervise", false}};
  // Learning needs the supervisor: it is what sees and records.
  bool supervise() const { return doc.value("supervise", false) || learn(); }
  // Learn mode: every refusal is a warning, and what the supervisor sees is recorded.
  bool learn() const { return doc.value("learn", false); }
  // The value of `k`, its fallback when the document does not set it.
  nlohmann::json get(const Key& k) const;
  void set(const Key& k, nlohmann::json value);
};

// Every problem of `doc`, each "WHERE: PATH: what"; empty when valid.
std::vector<std::string> validate(const nlohmann::json& doc, const std::string& where);
// A policy file's text → Policy (values in their canonical form), or an error listing every problem.
Result<Policy> parse_policy(const std::string& text, const std::string& where);

}  // namespace vigil::policy
