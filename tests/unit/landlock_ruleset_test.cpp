// The paths section as a Landlock ruleset, for kernels of every ABI (no kernel needed).
#include <gtest/gtest.h>

#include "runtime/container/container.hpp"
#include "runtime/landlock/landlock.hpp"
#include "runtime/policy/paths_policy.hpp"

namespace vigil {
namespace {

policy::PathsPolicy paths(const std::string& text) {
  auto p = policy::parse_policy(R"({"version": 1, "paths": )" + text + "}", "p.json");
  EXPECT_TRUE(p.ok()) << p.error().what();
  return p.ok() ? policy::paths_policy(*p) : policy::PathsPolicy{};
}

// The ruleset for a supervised container on a kernel of ABI `abi`.
Result<landlock::Ruleset> ruleset(const policy::PathsPolicy& p, int abi) {
  auto r = paths_request(p, abi, true);
  if (!r) return std::move(r).error();
  return std::move(r->landlock);
}

TEST(LandlockRuleset, GrantsInTheKernelsRights) {
  auto r = ruleset(paths(R"({"default": "deny", "rules": [
      {"path": "/**", "access": ["read", "list", "exec", "chmod", "chown", "rename", "truncate", "ioctl"], "action": "allow"},
      {"path": "/tmp/**", "access": ["write", "create", "delete"], "action": "allow"}]})"), 2);
  ASSERT_TRUE(r.ok()) << r.error().what();
  // Read, list and exec are allowed everywhere, so Landlock need not handle them; rename is
  // too: REFER beneath the root, so files still move between directories.
  EXPECT_EQ(r->handled_fs, landlock::kWriteFile | 0x1fc0u | landlock::kRemoveDir | landlock::kRemoveFile | landlock::kRefer);
  ASSERT_EQ(r->rules.size(), 2u);
  EXPECT_EQ(r->rules[0].path, "/");
  EXPECT_EQ(r->rules[0].rights, landlock::kRefer);
  EXPECT_EQ(r->rules[1].path, "/tmp");
  EXPECT_EQ(r->rules[1].rights, landlock::kWriteFile | 0x1fc0u | landlock::kRemoveDir | landlock::kRemoveFile);
  EXPECT_EQ(r->scoped, 0u);
}

TEST(LandlockRuleset, NothingToHoldIsAnEmptyRuleset) {
  auto r = ruleset(paths(R"({"rules": [{"path": "/data/**", "access": ["read"], "action": "allow"}]})"), 0);
  ASSERT_TRUE(r.ok()) << r.error().what();
  EXPECT_TRUE(r->empty());
}

TEST(LandlockRuleset, NeverSilentlyWeaker) {
  auto err = [](const policy::PathsPolicy& p, int abi) {
    auto r = ruleset(p, abi);
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string() : r.error().what();
  };
  // What an allow-list leaves to the default deny, Landlock refuses.
  const std::string rest = R"({"path": "/**", "access": ["read", "write", "list", "create", "delete", "rename", "exec", "ioctl", "chmod", "chown"], "action": "allow"})";
  auto truncate = paths(R"({"default": "deny", "rules": [)" + rest + R"(, {"path": "/tmp/**", "access": ["truncate"], "action": "allow"}]})");
  auto old = paths_request(truncate, 2, false);
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.error().what(), "paths: truncate needs Landlock ABI 3; this kernel has ABI 2");
  EXPECT_TRUE(ruleset(truncate, 3).ok());
  EXPECT_EQ(paths_request(truncate, 3, true)->judged, 0u);
  // Supervised, the supervisor judges what the kernel's Landlock cannot hold yet.
  auto judged = paths_request(truncate, 2, true);
  ASSERT_TRUE(judged.ok()) << judged.error().what();
  EXPECT_EQ(judged->judged, policy::bit(policy::Access::truncate));
  EXPECT_EQ(judged->landlock.handled_fs & landlock::kTruncate, 0u);
  EXPECT_EQ(explain_paths(truncate, 2, true)[6],
            "paths truncate: supervisor (a notification per call asking for it); Landlock holds it from ABI 3; this kernel has ABI 2");
  // Refusing "/**" first makes an allow-list under a default of allow.
  auto read = paths(R"({"rules": [{"path": "/**", "access": ["read"], "action": "deny"}, {"path": "/usr/**", "access": ["read"], "action": "allow"}]})");
  EXPECT_EQ(err(read, 1), "paths: rules need Landlock ABI 2 (renames across directories); this kernel has ABI 1");
  EXPECT_EQ(paths_request(read, 0, false).error().what(), "paths: read needs Landlock ABI 1; this kernel has ABI 0");
  EXPECT_EQ(paths_request(read, 0, true)->judged, policy::bit(policy::Access::read));
  EXPECT_EQ(ruleset(read, 2)->handled_fs, landlock::kReadFile | landlock::kRefer);
  auto scope = paths(R"({"scope": {"signals": true}})");
  EXPECT_NE(err(scope, 5).find("paths.scope needs Landlock ABI 6"), std::string::npos);
  EXPECT_EQ(ruleset(scope, 6)->scoped, landlock::kScopeSignal);
  auto deny = paths(R"({"rules": [{"path": "/etc/shadow", "access": ["read"], "action": "deny"}]})");
  // Reads are the supervisor's to judge, in a supervised container only; chmod too; ioctl never.
  EXPECT_TRUE(ruleset(deny, 7).ok());
  auto unsupervised = paths_request(deny, 7, false);
  ASSERT_FALSE(unsupervised.ok());
  EXPECT_NE(unsupervised.error().what().find("paths: read needs the supervisor (paths.rules[0] refuses where paths.default allows: "
                                            "Landlock only grants): the policy must say \"supervise\": true"),
            std::string::npos) << unsupervised.error().what();
  EXPECT_EQ(paths_request(deny, 7, true)->judged, policy::bit(policy::Access::read));
  auto chmod = paths(R"({"rules": [{"path": "/etc/**", "access": ["chmod", "chown"], "action": "deny"}]})");
  EXPECT_EQ(paths_request(chmod, 7, true)->judged, policy::bit(policy::Access::chmod) | policy::bit(policy::Access::chown));
  auto ioctl = paths(R"({"rules": [{"path": "/dev/**", "access": ["ioctl"], "action": "deny"}]})");
  EXPECT_NE(err(ioctl, 7).find("paths: ioctl needs the supervisor's path checks (paths.rules[0] refuses where paths.default "
                               "allows: Landlock only grants), which cannot hold it"),
            std::string::npos)
      << err(ioctl, 7);
}

TEST(LandlockRuleset, ExplainSaysWhatCreateWouldRefuse) {
  auto p = paths(R"({"default": "deny", "rules": [
      {"path": "/**", "access": ["read", "list", "exec", "ioctl", "chmod", "chown", "create", "delete", "rename"], "action": "allow"},
      {"path": "/tmp/**", "access": ["write", "truncate"], "action": "allow"},
      {"path": "/etc/**", "access": ["delete"], "action": "deny"}], "scope": {"signals": true}})");
  auto lines = explain_paths(p, 2, false);
  ASSERT_EQ(lines.size(), policy::kAccessCount + 1);
  EXPECT_EQ(lines[1], "paths write: landlock (free), allowed in /tmp/**, refused elsewhere");
  EXPECT_EQ(lines[4], "paths delete: refused at create: needs the supervisor, and the policy does not supervise; "
                      "paths.rules[2] refuses where paths.rules[0] (/**) allows: Landlock only grants");
  EXPECT_EQ(lines[6], "paths truncate: refused at create: needs Landlock ABI 3, this kernel has 2");
  EXPECT_EQ(lines.back(), "paths scope: refused at create: needs Landlock ABI 6, signals");
}

}  // namespace
}  // namespace vigil
