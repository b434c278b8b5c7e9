// What a policy rule does when it matches, in order of strictness: a profile or an
// annotation may only move a setting towards kill.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil::policy {

enum class Action { allow, warn, deny, kill };

std::optional<Action> parse_action(std::string_view name);
std::string_view action_name(Action a);
// Learn mode: a refusal (deny, kill) becomes a warning whose detail says what it would have been.
void as_learned(Action& a, std::string& detail);

}  // namespace vigil::policy
