#include <gtest/gtest.h>

#include "runtime/policy/paths_plan.hpp"
#include "runtime/policy/paths_policy.hpp"
#include "runtime/policy/policy.hpp"
#include "runtime/policy/sources.hpp"
#include "tests/unit/policy_host.hpp"

namespace vigil::policy {
namespace {

TEST(PolicyPaths, TheScopes) {
  auto p = parse_policy(R"({"version": 1, "paths": {"scope": {"abstract_unix_sockets": true}}})", "p.json");
  ASSERT_TRUE(p.ok()) << p.error().what();
  auto paths = paths_policy(*p);
  EXPECT_TRUE(paths.scope_abstract_unix_sockets);
  EXPECT_FALSE(paths.scope_signals);
  EXPECT_FALSE(paths_policy(Policy{}).scope_signals);
  auto bad = parse_policy(R"({"version": 1, "paths": {"scope": {"signals": "yes"}, "files": []}})", "p.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(std::string(bad.error().what()).find("paths.files: unknown key"), std::string::npos) << bad.error().what();
}

TEST(PolicyPaths, AnnotationsTurnScopesOnNeverOff) {
  internal::PolicyHost h;
  h.write("policy.json", R"({"version": 1, "paths": {"scope": {"signals": true}}})");
  auto on = effective_policy(h.sources, {{"run.vigil.paths.scope.abstract_unix_sockets", "true"}});
  ASSERT_TRUE(on.ok()) << on.error().what();
  EXPECT_TRUE(paths_policy(*on).scope_abstract_unix_sockets);
  EXPECT_TRUE(paths_policy(*on).scope_signals);
  EXPECT_FALSE(effective_policy(h.sources, {{"run.vigil.paths.scope.signals", "false"}}).ok());
}

}  // namespace
}  // namespace vigil::policy

namespace vigil::policy {
namespace {

PathsPolicy parse_paths(const std::string& paths) {
  auto p = parse_policy(R"({"version": 1, "paths": )" + paths + "}", "p.json");
  EXPECT_TRUE(p.ok()) << p.error().what();
  return p.ok() ? paths_policy(*p) : PathsPolicy{};
}

std::string paths_problems(const std::string& paths) {
  auto p = parse_policy(R"({"version": 1, "paths": )" + paths + "}", "p.json");
  return p.ok() ? "" : p.error().what();
}

TEST(PolicyPaths, RulesAndDefault) {
  auto p = parse_paths(R"({"default": "deny", "rules": [
      {"path": "/usr/**", "access": ["read", "exec", "list"], "action": "allow"},
      {"path": "/etc/shadow", "access": ["read"], "action": "deny"}]})");
  EXPECT_EQ(p.default_action, Action::deny);
  ASSERT_EQ(p.rules.size(), 2u);
  EXPECT_EQ(p.rules[0].accesses, bit(Access::read) | bit(Access::exec) | bit(Access::list));
  EXPECT_EQ(p.rules[1].action, Action::deny);
  EXPECT_TRUE(p.rules[0].glob.matches("/usr/bin/ls"));
  EXPECT_EQ(access_names(p.rules[0].accesses), "read, list, exec");
  EXPECT_EQ(paths_policy(Policy{}).default_action, Action::allow);
}

TEST(PolicyPaths, BadRulesAreNamed) {
  auto e = paths_problems(R"({"rules": [{"path": "usr/**", "access": ["read", "read", "open"], "action": "maybe", "x": 1},
                                   {"path": "/a"}, {"path": "/b", "access": [], "action": "deny"}]})");
  for (auto want : {"paths.rules[0].path: must be an absolute path", "paths.rules[0].access[1]: read is listed twice",
                    "paths.rules[0].access[2]: unknown access", "paths.rules[0].action: must be one of",
                    "paths.rules[0].x: unknown key", "paths.rules[1].access: is required", "paths.rules[1].action: is required",
                    "paths.rules[2].access: must be a non-empty array"})
    EXPECT_NE(e.find(want), std::string::npos) << want << " not in " << e;
  EXPECT_NE(paths_problems(R"({"default": "sometimes"})").find("paths.default: must be one of"), std::string::npos);
}

TEST(PolicyPaths, AProfileAndAnnotationsOnlyTighten) {
  internal::PolicyHost h;
  h.write("policy.json", R"({"version": 1, "paths": {"default": "warn",
      "rules": [{"path": "/data/**", "access": ["write"], "action": "allow"}]}})");
  h.write("strict.json", R"({"version": 1, "paths": {"default": "warn", "rules": [{"path": "/data/keys/**", "access": ["read"], "action": "deny"}]}})");
  h.write("loose.json", R"({"version": 1, "paths": {"default": "warn", "rules": [{"path": "/etc/**", "access": ["write"], "action": "allow"}]}})");
  auto strict = effective_policy(h.sources, {{"run.vigil.policy", "strict"}, {"run.vigil.paths.default", "deny"}});
  ASSERT_TRUE(strict.ok()) << strict.error().what();
  auto p = paths_policy(*strict);
  EXPECT_EQ(p.default_action, Action::deny);
  ASSERT_EQ(p.rules.size(), 2u);
  EXPECT_EQ(p.rules[1].path, "/data/keys/**");
  auto loose = effective_policy(h.sources, {{"run.vigil.policy", "loose"}});
  ASSERT_FALSE(loose.ok());
  EXPECT_NE(std::string(loose.error().what()).find("paths.rules[0]: allow would loosen"), std::string::npos)
      << loose.error().what();
  EXPECT_FALSE(effective_policy(h.sources, {{"run.vigil.paths.default", "allow"}}).ok());
}

TEST(PolicyPaths, AProfileBringsItsAllowListWhereTheHostAllowsEverything) {
  internal::PolicyHost h;
  h.write("policy.json", R"({"version": 1, "supervise": true})");
  h.write("list.json", R"({"version": 1, "supervise": true, "paths": {"default": "deny",
      "rules": [{"path": "/usr/**", "access": ["read"], "action": "allow"}]}})");
  auto p = effective_policy(h.sources, {{"run.vigil.policy", "list"}});
  ASSERT_TRUE(p.ok()) << p.error().what();
  EXPECT_EQ(paths_policy(*p).default_action, Action::deny);
  EXPECT_EQ(paths_policy(*p).rules.size(), 1u);
}

TEST(PathsPlan, LandlockTargets) {
  EXPECT_EQ(landlock_target("/usr/**")->path, "/usr");
  EXPECT_TRUE(landlock_target("/usr/**")->tree);
  EXPECT_EQ(landlock_target("/**")->path, "/");
  EXPECT_FALSE(landlock_target("/etc/hosts")->tree);
  EXPECT_FALSE(landlock_target("/usr/*"));
  EXPECT_FALSE(landlock_target("/home/*/.ssh/**"));
  EXPECT_FALSE(landlock_target("/usr/lib**"));
  EXPECT_FALSE(landlock_target("/a\\*b"));
}

TEST(PathsPlan, NothingToEnforceByDefault) {
  auto plan = plan_paths(parse_paths(R"({"rules": [{"path": "/data/**", "access": ["write"], "action": "allow"}]})"));
  EXPECT_EQ(plan.with(Enforcer::none), kAllAccesses);
  EXPECT_TRUE(plan.grants.empty());
}

TEST(PathsPlan, AnAllowListIsLandlocks) {
  auto plan = plan_paths(parse_paths(R"({"default": "deny", "rules": [
      {"path": "/usr/**", "access": ["read", "list", "exec"], "action": "allow"},
      {"path": "/tmp/**", "access": ["write", "create", "delete", "rename", "truncate"], "action": "allow"},
      {"path": "/etc/hosts", "access": ["write"], "action": "allow"},
      {"path": "/tmp/**", "access": ["read"], "action": "allow"},
      {"path": "/dev/**", "access": ["ioctl"], "action": "allow"},
      {"path": "/**", "access": ["chmod", "chown"], "action": "allow"}]})"));
  EXPECT_EQ(plan.with(Enforcer::supervisor), 0u) << plan.why[size_t(Access::rename)];
  EXPECT_EQ(plan.with(Enforcer::none), bit(Access::chmod) | bit(Access::chown));
  ASSERT_EQ(plan.grants.size(), 4u);
  EXPECT_EQ(plan.grants[0].path, "/usr");
  EXPECT_EQ(plan.grants[0].accesses, bit(Access::read) | bit(Access::list) | bit(Access::exec));
  EXPECT_EQ(plan.grants[1].path, "/tmp");
  EXPECT_EQ(plan.grants[1].accesses, bit(Access::read) | bit(Access::write) | bit(Access::create) | bit(Access::delete_) |
                                         bit(Access::rename) | bit(Access::truncate));
  EXPECT_EQ(plan.grants[2].path, "/etc/hosts");
  EXPECT_FALSE(plan.grants[2].tree);
  EXPECT_EQ(plan.grants[3].path, "/dev");
}

TEST(PathsPlan, AllowingTheWholeTreeLastIsNothingToEnforce) {
  auto plan = plan_paths(parse_paths(R"({"default": "deny", "rules": [
      {"path": "/etc/shadow", "access": ["read"], "action": "deny"},
      {"path": "/**", "access": ["read", "chmod"], "action": "allow"},
      {"path": "/**", "access": ["write"], "action": "allow"},
      {"path": "/etc/**", "access": ["write"], "action": "deny"}]})"));
  EXPECT_EQ(plan.enforcer[size_t(Access::read)], Enforcer::none);
  EXPECT_EQ(plan.enforcer[size_t(Access::chmod)], Enforcer::none);
  EXPECT_EQ(plan.enforcer[size_t(Access::write)], Enforcer::supervisor);
  EXPECT_EQ(plan.why[size_t(Access::write)], "paths.rules[3] refuses where paths.rules[2] (/**) allows: Landlock only grants");
}

TEST(PathsPlan, WhatLandlockCannotHoldIsTheSupervisors) {
  auto why = [](const std::string& paths, Access a) {
    auto plan = plan_paths(parse_paths(paths));
    EXPECT_EQ(plan.enforcer[size_t(a)], Enforcer::supervisor) << paths;
    return plan.why[size_t(a)];
  };
  EXPECT_EQ(why(R"({"rules": [{"path": "/etc/shadow", "access": ["read"], "action": "deny"}]})", Access::read),
            "paths.rules[0] refuses where paths.default allows: Landlock only grants");
  EXPECT_EQ(why(R"({"default": "deny", "rules": [{"path": "/etc/**", "access": ["read"], "action": "allow"},
                   {"path": "/etc/secret", "access": ["read"], "action": "deny"}]})", Access::read),
            "paths.rules[1] denies inside what paths.rules[0] allows");
  EXPECT_EQ(why(R"({"default": "deny", "rules": [{"path": "/home/*/.ssh/**", "access": ["read"], "action": "allow"}]})", Access::read),
            "paths.rules[0]: /home/*/.ssh/** is neither a tree (DIR/**) nor a file");
  EXPECT_EQ(why(R"({"default": "deny", "rules": [{"path": "/data/**", "access": ["read"], "action": "warn"}]})", Access::read),
            "paths.rules[0]: Landlock cannot warn");
  EXPECT_EQ(why(R"({"default": "warn"})", Access::write), "paths.default is warn");
  EXPECT_EQ(why(R"({"default": "deny", "rules": [{"path": "/x", "access": ["create"], "action": "allow"}]})", Access::create),
            "paths.rules[0]: create of the one entry /x (Landlock grants it for a whole directory: /x/**)");
  EXPECT_EQ(why(R"({"rules": [{"path": "/**", "access": ["chown"], "action": "deny"}]})", Access::chown),
            "Landlock has no right for chown");
  // Create and delete allowed where rename is not: Landlock would let a file move there.
  EXPECT_EQ(why(R"({"default": "deny", "rules": [{"path": "/tmp/**", "access": ["create", "delete"], "action": "allow"}]})",
                Access::rename),
            "create and delete are allowed in /tmp but rename is not, and Landlock allows a rename within one directory");
  // A deny before any allow, or outside every allowed tree, is Landlock's.
  auto plan = plan_paths(parse_paths(R"({"default": "deny", "rules": [{"path": "/etc/secret", "access": ["read"], "action": "deny"},
      {"path": "/etc/**", "access": ["read"], "action": "allow"}, {"path": "/var/x", "access": ["read"], "action": "deny"}]})"));
  EXPECT_EQ(plan.enforcer[size_t(Access::read)], Enforcer::landlock);
}

}  // namespace
}  // namespace vigil::policy

namespace vigil::policy {
namespace {

TEST(PolicyPaths, TheLastMatchingRuleForTheAccessDecides) {
  auto p = paths_policy(*parse_policy(R"({"version": 1, "paths": {"default": "deny", "rules": [
      {"path": "/etc/**", "access": ["read", "list"], "action": "allow"},
      {"path": "/etc/secret", "access": ["read"], "action": "deny"},
      {"path": "/etc/ssh/**", "access": ["read"], "action": "warn"}]}})", "p.json"));
  EXPECT_EQ(p.match(Access::read, "/etc/hosts").action, Action::allow);
  EXPECT_EQ(p.match(Access::read, "/etc/hosts").rule, "paths.rules[0]");
  EXPECT_EQ(p.match(Access::read, "/etc/secret").rule, "paths.rules[1]");
  EXPECT_EQ(p.match(Access::read, "/etc/ssh/key").action, Action::warn);
  EXPECT_EQ(p.match(Access::write, "/etc/hosts").rule, "paths.default");
  // Listing a directory matches its path with a "/": /etc/** covers /etc itself.
  EXPECT_EQ(p.match(Access::list, "/etc").action, Action::allow);
  EXPECT_EQ(p.match(Access::list, "/").action, Action::deny);
}

}  // namespace
}  // namespace vigil::policy
