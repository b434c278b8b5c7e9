// Which mechanism enforces each access of a `paths` section. Landlock first: it costs
// nothing per call and has no race, but it only grants, per access, whole trees or single
// files, below a deny for everything else. What it cannot express exactly (a deny inside an
// allowed tree, a glob that is not a tree, warn and kill, chmod and chown, which have no
// Landlock right) is the supervisor's. Pure, so the choice is unit-tested.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "runtime/policy/paths_policy.hpp"

namespace vigil::policy {

enum class Enforcer {
  none,        // allowed everywhere: nothing to enforce
  landlock,    // allowed in the grants below, refused (EACCES) elsewhere
  supervisor,  // judged by the supervisor, call by call
};

// A Landlock rule: `accesses` beneath the directory `path` (tree: "/data/**" is "/data",
// "/**" is "/"), or on the file `path` itself.
struct Grant {
  std::string path;
  bool tree;
  AccessSet accesses;
};

struct PathsPlan {
  std::array<Enforcer, kAccessCount> enforcer{};
  // For an access the supervisor must judge: why Landlock cannot ("paths.rules[2] denies
  // inside the tree paths.rules[0] allows").
  std::array<std::string, kAccessCount> why{};
  std::vector<Grant> grants;  // one per (path, tree), accesses merged

  AccessSet with(Enforcer e) const;
};

PathsPlan plan_paths(const PathsPolicy& p);

// What Landlock can name for a rule's pattern: a tree ("/data/**", "/**") or a file (a
// pattern with no wildcard); nullopt for any other glob.
std::optional<Grant> landlock_target(std::string_view pattern);

}  // namespace vigil::policy
