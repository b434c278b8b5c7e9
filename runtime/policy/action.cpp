#include "runtime/policy/action.hpp"

#include <array>

namespace vigil::policy {
namespace {

// Indexed by Action, so the order here is the order of strictness.
constexpr std::array<std::string_view, 4> kActionNames = {"allow", "warn", "deny", "kill"};

}  // namespace

std::optional<Action> parse_action(std::string_view name) {
  for (size_t i = 0; i < kActionNames.size(); i++)
    if (kActionNames[i] == name) return Action(i);
  return std::nullopt;
}

std::string_view action_name(Action a) { return kActionNames[size_t(a)]; }

void as_learned(Action& a, std::string& detail) {
  if (a <= Action::warn) return;
  detail = "learn mode, would " + std::string(action_name(a)) + (detail.empty() ? "" : ": " + detail);
  a = Action::warn;
}

}  // namespace vigil::policy
