#include <gtest/gtest.h>

#include "runtime/policy/exec_policy.hpp"
#include "runtime/policy/policy.hpp"
#include "runtime/policy/sources.hpp"
#include "tests/unit/policy_host.hpp"

namespace vigil::policy {
namespace {

using internal::problems;

TEST(Policy, ValidDocuments) {
  EXPECT_TRUE(problems(R"({"version": 1})").empty());
  EXPECT_TRUE(problems(R"({"version": 1, "supervise": true, "exec": {}, "memory": {}, "paths": {}})").empty());
  auto p = parse_policy(R"({"version": 1, "supervise": true})", "p.json");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->supervise());
  EXPECT_FALSE(Policy{}.supervise());
}

TEST(Policy, EveryErrorWithItsPath) {
  EXPECT_EQ(problems(R"({"supervise": "yes", "exec": {"requir_pie": true}, "memroy": {}, "paths": []})"),
            (std::vector<std::string>{"p.json: version: is required (1)", "p.json: exec.requir_pie: unknown key",
                                      "p.json: memroy: unknown key", "p.json: paths: must be an object",
                                      "p.json: supervise: must be true or false"}));
  EXPECT_EQ(problems(R"({"version": 2})"), (std::vector<std::string>{"p.json: version: must be 1"}));
  EXPECT_EQ(problems("[]"), (std::vector<std::string>{"p.json: a policy must be a JSON object"}));
  auto bad = parse_policy("{", "p.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().what().find("p.json: invalid JSON"), std::string::npos);
}

const std::string kSha256 = "sha256:" + std::string(64, 'a');
const std::string kSha512 = "sha512:" + std::string(128, 'b');

TEST(Policy, TheExecSection) {
  auto doc = nlohmann::json::parse(R"({"version": 1, "supervise": true,
    "exec": {"default": "allow", "rules": [{"path": "/usr/bin/**", "action": "allow"}, {"path": "/usr/bin/nc*", "action": "deny"}],
             "require_pie": true, "deny_execstack": true, "deny_ldso": true, "deny_elf32": true, "deny_static": false,
             "deny_dynamic": false, "deny_wx": true, "allow_memfd": false, "unlisted": "allow",
             "tpe": {"enabled": true, "trusted_uids": [0, 4294967294]}},
    "memory": {}, "paths": {}})");
  doc["exec"]["checksums"] = {{"/bin/busybox", "SHA256:" + std::string(64, 'A')}, {"/lib/libc.so.6", kSha512}};
  EXPECT_EQ(
      validate(doc, "p.json"),
      (std::vector<std::string>{"p.json: exec.checksums./bin/busybox: must be sha256:<64 hex> or sha512:<128 hex>"}));
  doc["exec"]["checksums"]["/bin/busybox"] = "sha256:" + std::string(64, 'A');
  auto p = parse_policy(doc.dump(), "p.json");
  ASSERT_TRUE(p.ok()) << p.error().what();
  // Digests are kept in lower case, as they are compared.
  EXPECT_EQ(p->doc["exec"]["checksums"]["/bin/busybox"], kSha256);
  EXPECT_EQ(p->get(*find_key("exec.tpe.trusted_uids")), nlohmann::json::parse("[0, 4294967294]"));
  EXPECT_EQ(p->get(*find_key("exec.deny_static")), false);
  // What a document leaves out has its default.
  EXPECT_EQ(Policy{}.get(*find_key("exec.default")), "allow");
  EXPECT_EQ(Policy{}.get(*find_key("exec.tpe.trusted_uids")), nlohmann::json::parse("[0]"));
}

TEST(Policy, EveryExecErrorWithItsPath) {
  auto doc = nlohmann::json::parse(R"({"version": 1, "memory": {"x": 1}, "exec": {
    "default": "block", "require_pie": "yes", "unlisted": 3, "tpe.enabled": true,
    "rules": [{"path": "/usr/bin/**", "action": "allow"}, {"path": "/bin/[a-", "action": "nope", "x": 1}, "r", {},
              {"path": "bin/*", "action": "kill"}, {"path": 1, "action": "deny"}],
    "tpe": {"enabled": 1, "trusted_uids": [0, -1, 4294967295, "root", 1.5], "extra": true}}})");
  doc["exec"]["checksums"] = {{"/bin/x", "sha256:abc"}, {"bin/y", kSha256}, {"/bin/z", kSha256 + "0"}};
  EXPECT_EQ(validate(doc, "p.json"), (std::vector<std::string>{
                                         "p.json: exec.checksums./bin/x: must be sha256:<64 hex> or sha512:<128 hex>",
                                         "p.json: exec.checksums./bin/z: must be sha256:<64 hex> or sha512:<128 hex>",
                                         "p.json: exec.checksums.bin/y: must be an absolute path",
                                         "p.json: exec.default: must be one of allow, warn, deny, kill",
                                         "p.json: exec.require_pie: must be true or false",
                                         "p.json: exec.rules[1].x: unknown key",
                                         "p.json: exec.rules[1].path: [a-: unterminated class",
                                         "p.json: exec.rules[1].action: must be one of allow, warn, deny, kill",
                                         "p.json: exec.rules[2]: must be an object with path and action",
                                         "p.json: exec.rules[3].path: is required",
                                         "p.json: exec.rules[3].action: is required",
                                         "p.json: exec.rules[4].path: must be an absolute path",
                                         "p.json: exec.rules[5].path: must be a string",
                                         "p.json: exec.tpe.enabled: must be true or false",
                                         "p.json: exec.tpe.extra: unknown key",
                                         "p.json: exec.tpe.trusted_uids[1]: must be an integer 0..4294967294",
                                         "p.json: exec.tpe.trusted_uids[2]: must be an integer 0..4294967294",
                                         "p.json: exec.tpe.trusted_uids[3]: must be an integer 0..4294967294",
                                         "p.json: exec.tpe.trusted_uids[4]: must be an integer 0..4294967294",
                                         "p.json: exec.tpe.enabled: unknown key (nest objects, do not dot names)",
                                         "p.json: exec.unlisted: must be one of allow, warn, deny, kill",
                                         "p.json: memory.x: unknown key",
                                     }));
  EXPECT_EQ(problems(R"({"version": 1, "exec": {"rules": {}, "checksums": [], "tpe": [], "default": true}})"),
            (std::vector<std::string>{R"(p.json: exec.checksums: must be an object of "/path": "sha256:HEX")",
                                      "p.json: exec.default: must be one of allow, warn, deny, kill",
                                      R"(p.json: exec.rules: must be an array of {"path": GLOB, "action": ACTION})",
                                      "p.json: exec.tpe: must be an object"}));
  EXPECT_EQ(problems(R"({"version": 1, "tpe": {}, "exec": {"tpe": {"trusted_uids": 0}}})"),
            (std::vector<std::string>{"p.json: exec.tpe.trusted_uids: must be an array of uids",
                                      "p.json: tpe: unknown key"}));
}

using Host = internal::PolicyHost;

TEST(PolicySources, NoPolicyAnywhereIsAPlainRuntime) {
  Host h;
  auto p = effective_policy(h.sources, {{"other.annotation", "x"}});
  ASSERT_TRUE(p.ok()) << p.error().str();
  EXPECT_FALSE(p->supervise());
  h.sources.baseline_given = true;  // --policy FILE must exist
  EXPECT_EQ(effective_policy(h.sources, {}).error().code(), ENOENT);
}

TEST(PolicySources, AnnotationsAndProfilesTightenOnly) {
  Host h;
  auto on = effective_policy(h.sources, {{"run.vigil.supervise", "true"}});
  ASSERT_TRUE(on.ok());
  EXPECT_TRUE(on->supervise());
  h.write("policy.json", R"({"version": 1, "supervise": true})");
  auto off = effective_policy(h.sources, {{"run.vigil.supervise", "false"}});
  ASSERT_FALSE(off.ok());
  EXPECT_EQ(off.error().what(),
            "annotation run.vigil.supervise: supervise=false would loosen the host's policy (supervise is true)");
  h.write("lax.json", R"({"version": 1, "supervise": false})");
  auto lax = effective_policy(h.sources, {{"run.vigil.policy", "lax"}});
  ASSERT_FALSE(lax.ok());
  EXPECT_EQ(lax.error().what(),
            "policy profile lax: supervise=false would loosen the host's policy (supervise is true)");
  // Saying what the host already says is fine.
  EXPECT_TRUE(effective_policy(h.sources, {{"run.vigil.supervise", "true"}}).ok());
}

TEST(PolicySources, LearningOnlyWhereTheHostAllowsIt) {
  Host h;
  auto refused = effective_policy(h.sources, {{"run.vigil.learn", "true"}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().what(), "annotation run.vigil.learn: learn=true would loosen the host's policy (it does not "
                                    "say \"allow_learn\": true)");
  h.write("policy.json", R"({"version": 1, "supervise": true, "allow_learn": true})");
  auto learning = effective_policy(h.sources, {{"run.vigil.learn", "true"}});
  ASSERT_TRUE(learning.ok()) << learning.error().str();
  EXPECT_TRUE(learning->learn());
  EXPECT_TRUE(exec_policy(*learning).learn);
  EXPECT_TRUE(exec_policy(*learning).judges_exec());
  EXPECT_TRUE(exec_policy(*learning).checks_libraries());
  // allow_learn itself only tightens: a container cannot grant it.
  EXPECT_FALSE(effective_policy(Host().sources, {{"run.vigil.allow_learn", "true"}}).ok());
  // A baseline that learns may be tightened out of it; learning implies supervision.
  h.write("policy.json", R"({"version": 1, "learn": true})");
  auto p = effective_policy(h.sources, {});
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->supervise());
  auto off = effective_policy(h.sources, {{"run.vigil.learn", "false"}});
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->learn());
}

TEST(PolicySources, ProfilesByNameOnly) {
  Host h;
  h.write("strict.json", R"({"version": 1, "supervise": true})");
  auto p = effective_policy(h.sources, {{"run.vigil.policy", "strict"}});
  ASSERT_TRUE(p.ok()) << p.error().str();
  EXPECT_TRUE(p->supervise());
  EXPECT_EQ(effective_policy(h.sources, {{"run.vigil.policy", "../strict"}}).error().what(),
            "annotation run.vigil.policy=../strict: a profile name is [A-Za-z0-9_.-], no path");
  auto missing = effective_policy(h.sources, {{"run.vigil.policy", "nope"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ENOENT);
  EXPECT_NE(missing.error().what().find("policy profile nope"), std::string::npos);
  h.write("broken.json", R"({"version": 1, "supervize": true})");
  EXPECT_NE(effective_policy(h.sources, {{"run.vigil.policy", "broken"}}).error().what().find("supervize: unknown key"),
            std::string::npos);
}

TEST(PolicySources, UnknownOrBadAnnotationsAreErrors) {
  Host h;
  EXPECT_EQ(effective_policy(h.sources, {{"run.vigil.exec.requir_pie", "true"}}).error().what(),
            "annotation run.vigil.exec.requir_pie=true: exec.requir_pie is not a policy key");
  EXPECT_EQ(effective_policy(h.sources, {{"run.vigil.supervise", "yes"}}).error().what(),
            "annotation run.vigil.supervise=yes: must be true or false");
}

std::string error_of(const Result<Policy>& p) { return p.ok() ? "(no error)" : p.error().what(); }

TEST(PolicySources, ExecScalarsByAnnotationTightenOnly) {
  Host h;
  auto p = effective_policy(h.sources, {{"run.vigil.exec.require_pie", "true"},
                                        {"run.vigil.exec.allow_memfd", "false"},
                                        {"run.vigil.exec.allow_debuggers", "false"},
                                        {"run.vigil.exec.default", "deny"},
                                        {"run.vigil.exec.unlisted", "kill"},
                                        {"run.vigil.exec.tpe.enabled", "true"}});
  ASSERT_TRUE(p.ok()) << p.error().what();
  auto e = exec_policy(*p);
  EXPECT_TRUE(e.require_pie);
  EXPECT_FALSE(e.allow_memfd);
  EXPECT_FALSE(e.allow_debuggers);
  EXPECT_EQ(e.default_action, Action::deny);
  EXPECT_EQ(e.unlisted, Action::kill);
  EXPECT_TRUE(e.tpe);
  EXPECT_EQ(e.trusted_uids, std::vector<uint32_t>{0});
  // allow_memfd tightens towards false, so true by annotation loosens the default.
  EXPECT_EQ(error_of(effective_policy(h.sources, {{"run.vigil.exec.allow_memfd", "true"}})),
            "annotation run.vigil.exec.allow_memfd: exec.allow_memfd=true would loosen the host's policy "
            "(exec.allow_memfd is false)");
  EXPECT_EQ(error_of(effective_policy(h.sources, {{"run.vigil.exec.allow_debuggers", "true"}})),
            "annotation run.vigil.exec.allow_debuggers: exec.allow_debuggers=true would loosen the host's policy "
            "(exec.allow_debuggers is false)");
  h.write("policy.json",
          R"({"version": 1, "exec": {"default": "deny", "allow_memfd": true, "tpe": {"enabled": true}}})");
  EXPECT_TRUE(
      effective_policy(h.sources, {{"run.vigil.exec.allow_memfd", "false"}, {"run.vigil.exec.default", "kill"}}).ok());
  EXPECT_TRUE(effective_policy(h.sources, {{"run.vigil.exec.default", "deny"}}).ok());
  EXPECT_EQ(
      error_of(effective_policy(h.sources, {{"run.vigil.exec.default", "warn"}})),
      "annotation run.vigil.exec.default: exec.default=warn would loosen the host's policy (exec.default is deny)");
  EXPECT_EQ(error_of(effective_policy(h.sources, {{"run.vigil.exec.tpe.enabled", "false"}})),
            "annotation run.vigil.exec.tpe.enabled: exec.tpe.enabled=false would loosen the host's policy "
            "(exec.tpe.enabled is true)");
}

TEST(PolicySources, ExecAnnotationsAreCheckedAndOnlyScalars) {
  Host h;
  EXPECT_EQ(error_of(effective_policy(h.sources, {{"run.vigil.exec.default", "block"}})),
            "annotation run.vigil.exec.default=block: must be one of allow, warn, deny, kill");
  EXPECT_EQ(error_of(effective_policy(h.sources, {{"run.vigil.exec.tpe.enabled", "1"}})),
            "annotation run.vigil.exec.tpe.enabled=1: must be true or false");
  for (const char* key : {"run.vigil.exec.rules", "run.vigil.exec.checksums", "run.vigil.exec.tpe.trusted_uids"})
    EXPECT_EQ(
        error_of(effective_policy(h.sources, {{key, "[]"}})),
        std::string("annotation ") + key + "=[]: cannot be set by an annotation, only by a policy file or profile");
  EXPECT_EQ(error_of(effective_policy(h.sources, {{"run.vigil.exec.tpe", "true"}})),
            "annotation run.vigil.exec.tpe=true: exec.tpe is not a policy key");
  EXPECT_EQ(error_of(effective_policy(h.sources, {{"run.vigil.exec", "true"}})),
            "annotation run.vigil.exec=true: exec is not a policy key");
}

TEST(PolicySources, AProfileAppendsRulesThatOnlyRefuse) {
  Host h;
  h.write("policy.json", R"({"version": 1, "exec": {"rules": [{"path": "/usr/bin/**", "action": "allow"},
                                                               {"path": "/usr/bin/su", "action": "kill"}]}})");
  h.write("nonc.json", R"({"version": 1, "exec": {"rules": [{"path": "/usr/bin/nc*", "action": "deny"},
                                                             {"path": "/usr/bin/su", "action": "deny"}]}})");
  auto p = effective_policy(h.sources, {{"run.vigil.policy", "nonc"}});
  ASSERT_TRUE(p.ok()) << p.error().what();
  auto e = exec_policy(*p);
  ASSERT_EQ(e.rules.size(), 4u);
  EXPECT_EQ(e.rules[2].path, "/usr/bin/nc*");
  auto nc = e.match("/usr/bin/nc");
  EXPECT_EQ(nc.action, Action::deny);
  EXPECT_EQ(nc.rule, "exec.rules[2]");
  EXPECT_EQ(e.match("/usr/bin/ls").rule, "exec.rules[0]");
  // A deny after the host's kill still refuses the program.
  EXPECT_EQ(e.match("/usr/bin/su").action, Action::deny);
  h.write(
      "lax.json",
      R"({"version": 1, "exec": {"rules": [{"path": "/x", "action": "kill"}, {"path": "/usr/bin/**", "action": "warn"}]}})");
  EXPECT_EQ(error_of(effective_policy(h.sources, {{"run.vigil.policy", "lax"}})),
            "policy profile lax: exec.rules[1]: warn would loosen the host's policy (a profile's rules may only deny "
            "or kill)");
}

TEST(PolicySources, AProfileAddsChecksumsNeverChangesThem) {
  Host h;
  std::string other = "sha256:" + std::string(64, 'c');
  h.write("policy.json", R"({"version": 1, "exec": {"checksums": {"/bin/a": ")" + kSha256 + R"("}}})");
  h.write("more.json", R"({"version": 1, "exec": {"unlisted": "deny", "checksums": {"/bin/b": ")" + kSha512 +
                           R"(", "/bin/a": "sha256:)" + std::string(64, 'A') + R"("}}})");
  auto p = effective_policy(h.sources, {{"run.vigil.policy", "more"}});
  ASSERT_TRUE(p.ok()) << p.error().what();
  auto e = exec_policy(*p);
  ASSERT_EQ(e.checksums.size(), 2u);
  EXPECT_EQ(e.checksums["/bin/a"].str(), kSha256);
  EXPECT_EQ(e.checksums["/bin/b"].algo, "sha512");
  EXPECT_EQ(e.checksums["/bin/b"].hex, std::string(128, 'b'));
  EXPECT_EQ(e.unlisted, Action::deny);
  h.write("other.json", R"({"version": 1, "exec": {"checksums": {"/bin/a": ")" + other + R"("}}})");
  EXPECT_EQ(
      error_of(effective_policy(h.sources, {{"run.vigil.policy", "other"}})),
      "policy profile other: exec.checksums./bin/a: " + other + " conflicts with the host's policy (" + kSha256 + ")");
}

TEST(PolicySources, AProfileNarrowsTheTrustedUidsOfAnEnabledTpe) {
  Host h;
  h.write("tpe.json", R"({"version": 1, "exec": {"tpe": {"enabled": true, "trusted_uids": [5, 1000]}}})");
  // The host has no tpe: any list tightens.
  auto p = effective_policy(h.sources, {{"run.vigil.policy", "tpe"}});
  ASSERT_TRUE(p.ok()) << p.error().what();
  EXPECT_EQ(exec_policy(*p).trusted_uids, (std::vector<uint32_t>{5, 1000}));
  h.write("policy.json", R"({"version": 1, "exec": {"tpe": {"enabled": true, "trusted_uids": [0, 1000]}}})");
  EXPECT_EQ(error_of(effective_policy(h.sources, {{"run.vigil.policy", "tpe"}})),
            "policy profile tpe: exec.tpe.trusted_uids=[5,1000] would loosen the host's policy "
            "(exec.tpe.trusted_uids is [0,1000])");
  h.write("narrow.json", R"({"version": 1, "exec": {"tpe": {"enabled": true, "trusted_uids": [1000]}}})");
  p = effective_policy(h.sources, {{"run.vigil.policy", "narrow"}});
  ASSERT_TRUE(p.ok()) << p.error().what();
  EXPECT_EQ(exec_policy(*p).trusted_uids, std::vector<uint32_t>{1000});
  // A profile is a whole policy: leaving tpe out turns it off, which loosens.
  h.write("none.json", R"({"version": 1})");
  EXPECT_EQ(error_of(effective_policy(h.sources, {{"run.vigil.policy", "none"}})),
            "policy profile none: exec.tpe.enabled=false would loosen the host's policy (exec.tpe.enabled is true)");
}

}  // namespace
}  // namespace vigil::policy
