#include "runtime/policy/paths_plan.hpp"

#include <algorithm>
#include <bit>

namespace vigil::policy {
namespace {

// The accesses that act on a directory's entries, which a Landlock rule can only grant
// beneath a directory; the others act on a file and may name one.
constexpr AccessSet kDirAccesses = bit(Access::list) | bit(Access::create) | bit(Access::delete_) | bit(Access::rename);
// No Landlock right controls them.
constexpr AccessSet kNoLandlockRight = bit(Access::chmod) | bit(Access::chown);

// What makes a glob more than a path (glob.hpp).
constexpr std::string_view kWildcards = "*?[\\";

bool has_wildcard(std::string_view s) { return s.find_first_of(kWildcards) != std::string_view::npos; }

// Whether the tree `inner` lies within the tree `outer`.
bool within(const std::string& inner, const std::string& outer) {
  return outer == "/" || inner == outer || inner.rfind(outer + "/", 0) == 0;
}

// Whether the deny pattern `pattern` may match something the grant `g` allows: its literal
// start (up to the first wildcard) and the grant's path, one within the other.
bool may_overlap(const PathRule& deny, const Grant& g) {
  if (!g.tree) return deny.glob.matches(g.path);
  std::string start = deny.path.substr(0, deny.path.find_first_of(kWildcards));
  return within(start, g.path) || g.path.rfind(start, 0) == 0;
}

// The plan of one access, its grants appended to `grants`.
Enforcer plan_access(const PathsPolicy& p, Access a, std::string& why, std::vector<Grant>& grants) {
  std::vector<size_t> rules;
  for (size_t i = 0; i < p.rules.size(); i++)
    if (p.rules[i].accesses & bit(a)) rules.push_back(i);
  // A rule for "/**" decides everything before it: it is the default from there on.
  Action fallback = p.default_action;
  std::string fallback_name = "paths.default";
  for (size_t k = rules.size(); k-- > 0;)
    if (p.rules[rules[k]].path == "/**") {
      fallback = p.rules[rules[k]].action;
      fallback_name = paths_rule_name(rules[k]) + " (/**)";
      rules.erase(rules.begin(), rules.begin() + long(k) + 1);
      break;
    }
  auto supervisor = [&](std::string reason) {
    why = std::move(reason);
    return Enforcer::supervisor;
  };
  auto refusing = std::find_if(rules.begin(), rules.end(), [&](size_t i) { return p.rules[i].action != Action::allow; });
  if (fallback == Action::allow && refusing == rules.end()) return Enforcer::none;
  if (bit(a) & kNoLandlockRight) return supervisor("Landlock has no right for " + std::string(access_name(a)));
  if (fallback == Action::allow)
    return supervisor(paths_rule_name(*refusing) + " refuses where " + fallback_name + " allows: Landlock only grants");
  if (fallback != Action::deny) return supervisor(fallback_name + " is " + std::string(action_name(fallback)));
  std::vector<std::pair<size_t, Grant>> allowed;
  for (size_t i : rules) {
    const PathRule& r = p.rules[i];
    if (r.action == Action::warn || r.action == Action::kill)
      return supervisor(paths_rule_name(i) + ": Landlock cannot " + std::string(action_name(r.action)));
    if (r.action == Action::deny) {
      for (const auto& [j, g] : allowed)
        if (may_overlap(r, g)) return supervisor(paths_rule_name(i) + " denies inside what " + paths_rule_name(j) + " allows");
      continue;
    }
    auto g = landlock_target(r.path);
    if (!g) return supervisor(paths_rule_name(i) + ": " + r.path + " is neither a tree (DIR/**) nor a file");
    if (!g->tree && (bit(a) & kDirAccesses))
      return supervisor(paths_rule_name(i) + ": " + std::string(access_name(a)) + " of the one entry " + r.path +
                        " (Landlock grants it for a whole directory: " + r.path + "/**)");
    g->accesses = bit(a);
    allowed.emplace_back(i, *g);
  }
  for (auto& [i, g] : allowed) grants.push_back(std::move(g));
  return Enforcer::landlock;
}

// The trees where Landlock allows `a`: "/" when it is not enforced at all.
std::vector<std::string> trees_of(const PathsPlan& plan, Access a) {
  if (plan.enforcer[size_t(a)] == Enforcer::none) return {"/"};
  std::vector<std::string> out;
  for (const auto& g : plan.grants)
    if (g.tree && (g.accesses & bit(a))) out.push_back(g.path);
  return out;
}

// Landlock lets an entry move within a directory wherever it may be created and removed
// there, rename or not; so rename is Landlock's only when it is allowed wherever create
// and delete both are.
void check_rename(PathsPlan& plan) {
  auto& e = plan.enforcer[size_t(Access::rename)];
  if (e == Enforcer::supervisor || plan.enforcer[size_t(Access::create)] == Enforcer::supervisor ||
      plan.enforcer[size_t(Access::delete_)] == Enforcer::supervisor)
    return;
  auto renames = trees_of(plan, Access::rename);
  auto covered = [&](const std::string& t) {
    for (const auto& r : renames)
      if (within(t, r)) return true;
    return false;
  };
  for (const auto& c : trees_of(plan, Access::create))
    for (const auto& d : trees_of(plan, Access::delete_)) {
      const std::string* both = within(c, d) ? &c : within(d, c) ? &d : nullptr;
      if (both && !covered(*both)) {
        e = Enforcer::supervisor;
        plan.why[size_t(Access::rename)] =
            "create and delete are allowed in " + *both + " but rename is not, and Landlock allows a rename within one directory";
        return;
      }
    }
}

}  // namespace

std::optional<Grant> landlock_target(std::string_view pattern) {
  if (!has_wildcard(pattern)) return Grant{std::string(pattern), false, 0};
  if (pattern.size() < 3 || pattern.substr(pattern.size() - 3) != "/**") return std::nullopt;
  auto dir = pattern.substr(0, pattern.size() - 3);
  if (has_wildcard(dir)) return std::nullopt;
  return Grant{dir.empty() ? "/" : std::string(dir), true, 0};
}

AccessSet PathsPlan::with(Enforcer e) const {
  AccessSet out = 0;
  for (size_t i = 0; i < kAccessCount; i++)
    if (enforcer[i] == e) out |= bit(Access(i));
  return out;
}

PathsPlan plan_paths(const PathsPolicy& p) {
  PathsPlan plan;
  // Learning, Landlock would refuse what should only be recorded: every access the supervisor
  // can hold is its, and ioctl, which it cannot, is left alone.
  if (p.learn && p.has_rules()) {
    for (size_t i = 0; i < kAccessCount; i++) {
      plan.enforcer[i] = Access(i) == Access::ioctl ? Enforcer::none : Enforcer::supervisor;
      plan.why[i] = "learn mode records every access";
    }
    return plan;
  }
  std::vector<Grant> grants;
  for (size_t i = 0; i < kAccessCount; i++) plan.enforcer[i] = plan_access(p, Access(i), plan.why[i], grants);
  // Merged per (path, tree), in the order first named; only the accesses Landlock keeps.
  for (const auto& g : grants) {
    if (plan.enforcer[size_t(std::countr_zero(g.accesses))] != Enforcer::landlock) continue;
    auto same = std::find_if(plan.grants.begin(), plan.grants.end(), [&](const Grant& o) { return o.path == g.path && o.tree == g.tree; });
    if (same == plan.grants.end()) plan.grants.push_back(g);
    else same->accesses |= g.accesses;
  }
  check_rename(plan);
  if (plan.enforcer[size_t(Access::rename)] == Enforcer::supervisor)
    for (auto& g : plan.grants) g.accesses &= ~bit(Access::rename);
  std::erase_if(plan.grants, [](const Grant& g) { return g.accesses == 0; });
  return plan;
}

}  // namespace vigil::policy
