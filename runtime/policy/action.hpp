// What a policy rule does when it matches, in order of strictness: a profile or an
// annotation may only move a setting towards kill.
#pragma once

#include <optional>
#include <string_view>

namespace vigil::policy {

enum class Action { allow, warn, deny, kill };

std::optional<Action> parse_action(std::string_view name);
std::string_view action_name(Action a);

}  // namespace vigil::policy
