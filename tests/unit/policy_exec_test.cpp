#include <gtest/gtest.h>

#include <map>

#include "runtime/policy/exec_policy.hpp"

namespace vigil::policy {
namespace {

ExecPolicy exec_of(const std::string& section) {
  auto p = parse_policy(R"({"version": 1, "exec": )" + section + "}", "p.json");
  EXPECT_TRUE(p.ok()) << p.error().what();
  return exec_policy(p.value_or(Policy{}));
}

TEST(PolicyExec, DefaultsWhenNothingIsSet) {
  auto e = exec_policy(Policy{});
  EXPECT_EQ(e.default_action, Action::allow);
  EXPECT_TRUE(e.rules.empty());
  EXPECT_FALSE(e.require_pie || e.deny_execstack || e.deny_ldso || e.deny_elf32 || e.deny_static || e.deny_dynamic ||
               e.deny_wx || e.allow_memfd || e.allow_debuggers || e.tpe);
  EXPECT_EQ(e.unlisted, Action::allow);
  EXPECT_EQ(e.trusted_uids, std::vector<uint32_t>{0});
  auto m = e.match("/bin/sh");
  EXPECT_EQ(m.action, Action::allow);
  EXPECT_EQ(m.rule, "exec.default");
  EXPECT_FALSE(e.checks_libraries());
}

TEST(PolicyExec, EveryKeyIsRead) {
  auto e = exec_of(R"({"default": "warn", "require_pie": true, "deny_execstack": true, "deny_ldso": true,
                      "deny_elf32": true, "deny_static": true, "deny_dynamic": true, "deny_wx": true, "allow_memfd": true,
                      "allow_debuggers": true, "unlisted": "kill", "tpe": {"enabled": true, "trusted_uids": [0, 1000]},
                      "checksums": {"/bin/busybox": "sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"}})");
  EXPECT_EQ(e.default_action, Action::warn);
  EXPECT_TRUE(e.require_pie && e.deny_execstack && e.deny_ldso && e.deny_elf32 && e.deny_static && e.deny_dynamic &&
              e.deny_wx && e.allow_memfd && e.allow_debuggers && e.tpe);
  EXPECT_EQ(e.unlisted, Action::kill);
  EXPECT_EQ(e.trusted_uids, (std::vector<uint32_t>{0, 1000}));
  ASSERT_EQ(e.checksums.count("/bin/busybox"), 1u);
  EXPECT_EQ(e.checksums["/bin/busybox"].algo, "sha256");
  EXPECT_EQ(e.checksums["/bin/busybox"].hex, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
}

TEST(PolicyExec, TheLastMatchingRuleWins) {
  auto e = exec_of(R"({"default": "deny", "rules": [{"path": "/usr/bin/**", "action": "allow"},
                                                     {"path": "/usr/bin/nc*", "action": "kill"},
                                                     {"path": "/usr/bin/nc.safe", "action": "warn"}]})");
  auto m = e.match("/usr/bin/ls");
  EXPECT_EQ(m.action, Action::allow);
  EXPECT_EQ(m.rule, "exec.rules[0]");
  m = e.match("/usr/bin/nc.openbsd");
  EXPECT_EQ(m.action, Action::kill);
  EXPECT_EQ(m.rule, "exec.rules[1]");
  m = e.match("/usr/bin/nc.safe");
  EXPECT_EQ(m.action, Action::warn);
  EXPECT_EQ(m.rule, "exec.rules[2]");
  m = e.match("/bin/sh");
  EXPECT_EQ(m.action, Action::deny);
  EXPECT_EQ(m.rule, "exec.default");
}

TEST(PolicyExec, LibrariesAreCheckedWhenAnythingAppliesToThem) {
  EXPECT_FALSE(exec_of(R"({"require_pie": true, "deny_ldso": true, "deny_elf32": true, "deny_static": true,
                           "deny_dynamic": true, "allow_memfd": true, "tpe": {"trusted_uids": [5]}})")
                   .checks_libraries());
  for (std::string section :
       {std::string(R"({"rules": [{"path": "/x", "action": "allow"}]})"), std::string(R"({"default": "warn"})"),
        R"({"checksums": {"/x": "sha512:)" + std::string(128, '0') + R"("}})", std::string(R"({"unlisted": "deny"})"),
        std::string(R"({"deny_execstack": true})"), std::string(R"({"deny_wx": true})"),
        std::string(R"({"tpe": {"enabled": true}})")})
    EXPECT_TRUE(exec_of(section).checks_libraries()) << section;
}

TEST(PolicyExec, ExecsAreJudgedUnlessEveryProgramMayRun) {
  EXPECT_TRUE(exec_policy(Policy{}).judges_exec());  // fileless execs are refused by default
  EXPECT_FALSE(exec_of(R"({"allow_memfd": true})").judges_exec());
  EXPECT_FALSE(exec_of(R"({"allow_memfd": true, "tpe": {"trusted_uids": [5]}})").judges_exec());
  // A value for every other key that asks something of a program: a key added later must be
  // listed here, and judged.
  const std::map<std::string, std::string> stricter = {
      {"default", R"("warn")"},
      {"rules", R"([{"path": "/x", "action": "allow"}])"},
      {"require_pie", "true"},
      {"deny_execstack", "true"},
      {"deny_ldso", "true"},
      {"deny_elf32", "true"},
      {"deny_static", "true"},
      {"deny_dynamic", "true"},
      {"deny_wx", "true"},
      {"checksums", R"({"/x": "sha256:)" + std::string(64, '0') + R"("})"},
      {"unlisted", R"("deny")"},
      {"tpe.enabled", "true"},
  };
  for (const auto& k : keys()) {
    // What lets something through, and the uid list, judge nothing by themselves.
    if (k.section != "exec" || k.name == "allow_memfd" || k.name == "allow_debuggers" || k.name == "tpe.trusted_uids")
      continue;
    std::string name(k.name);
    ASSERT_EQ(stricter.count(name), 1u) << "exec." << name << " is not listed";
    Policy p;
    p.set(*find_key("exec.allow_memfd"), true);
    p.set(k, nlohmann::json::parse(stricter.at(name)));
    EXPECT_TRUE(exec_policy(p).judges_exec()) << name;
  }
}

TEST(PolicyExec, Checksums) {
  EXPECT_EQ(parse_checksum("sha256:" + std::string(64, 'F'))->hex, std::string(64, 'f'));
  EXPECT_EQ(parse_checksum("sha512:" + std::string(128, '9'))->algo, "sha512");
  EXPECT_FALSE(parse_checksum("sha256:" + std::string(63, 'f')));
  EXPECT_FALSE(parse_checksum("sha256:" + std::string(65, 'f')));
  EXPECT_FALSE(parse_checksum("sha512:" + std::string(64, 'f')));
  EXPECT_FALSE(parse_checksum("sha256:" + std::string(63, 'f') + "g"));
  EXPECT_FALSE(parse_checksum("md5:" + std::string(32, 'f')));
  EXPECT_FALSE(parse_checksum(std::string(64, 'f')));
  EXPECT_EQ(parse_checksum("sha256:" + std::string(64, 'a'))->str(), "sha256:" + std::string(64, 'a'));
}

TEST(PolicyExec, ActionsInOrderOfStrictness) {
  EXPECT_EQ(parse_action("allow"), Action::allow);
  EXPECT_EQ(parse_action("kill"), Action::kill);
  EXPECT_EQ(parse_action("Deny"), std::nullopt);
  EXPECT_EQ(action_name(Action::warn), "warn");
  EXPECT_LT(Action::allow, Action::warn);
  EXPECT_LT(Action::warn, Action::deny);
  EXPECT_LT(Action::deny, Action::kill);
}

}  // namespace
}  // namespace vigil::policy
