// The `paths` section of a policy as the runtime uses it: which files a container's
// processes may touch, by access (docs/POLICY.md), and Landlock's scopes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/policy/action.hpp"
#include "runtime/policy/glob.hpp"
#include "runtime/policy/policy.hpp"

namespace vigil::policy {

// What a process does to a file. A rule's path is matched against the file acted on: the
// file read, written, truncated, executed, changed; the entry created, removed or moved
// (both ends of a move); for `list`, the directory's path with a `/` after it, so that
// `/data/**` covers listing /data itself.
enum class Access : uint8_t { read, write, list, create, delete_, rename, truncate, exec, ioctl, chmod, chown };
constexpr size_t kAccessCount = 11;
using AccessSet = uint32_t;  // bit i: Access(i)
constexpr AccessSet bit(Access a) { return AccessSet(1) << unsigned(a); }

constexpr AccessSet kAllAccesses = (AccessSet(1) << kAccessCount) - 1;

std::string_view access_name(Access a);
std::optional<Access> parse_access(std::string_view name);
// "read, write" for the accesses in `s`.
std::string access_names(AccessSet s);

struct PathRule {
  PathRule(std::string p, AccessSet a, Action act) : path(std::move(p)), glob(path), accesses(a), action(act) {}
  std::string path;  // a glob, as written
  Glob glob;
  AccessSet accesses;
  Action action;
};

struct PathsPolicy {
  struct Match {
    Action action;
    std::string rule;  // "paths.rules[2]" or "paths.default"
  };
  // The last rule naming `a` that matches `path` (for list, the directory's path: the "/"
  // is added here), else the default.
  Match match(Access a, std::string_view path) const;

  Action default_action = Action::allow;
  std::vector<PathRule> rules;               // per access, the last matching rule wins
  bool scope_abstract_unix_sockets = false;  // no connect to an abstract socket made outside
  bool scope_signals = false;                // no signal to a process outside
  // Learn mode: with rules active, the supervisor judges and records every access it can
  // (all but ioctl), and a refusal is a warning.
  bool learn = false;
  bool has_rules() const { return default_action != Action::allow || !rules.empty(); }
};

// From a validated policy; what it does not set keeps the defaults above.
PathsPolicy paths_policy(const Policy& p);
// How audit lines and messages name rule `i`: "paths.rules[2]".
std::string paths_rule_name(size_t i);

}  // namespace vigil::policy
