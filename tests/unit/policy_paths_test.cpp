#include <gtest/gtest.h>

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
  auto bad = parse_policy(R"({"version": 1, "paths": {"scope": {"signals": "yes"}, "rules": []}})", "p.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(std::string(bad.error().what()).find("paths.rules: unknown key"), std::string::npos) << bad.error().what();
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
