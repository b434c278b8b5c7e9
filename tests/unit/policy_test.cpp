#include <gtest/gtest.h>

#include <fstream>

#include "runtime/policy/policy.hpp"
#include "runtime/policy/sources.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil::policy {
namespace {

std::vector<std::string> problems(const char* text) { return validate(nlohmann::json::parse(text), "p.json"); }

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

struct Host {
  internal::TempDir dir;
  Sources sources;
  Host() {
    sources.baseline = dir.path() + "/policy.json";
    sources.profile_dir = dir.path();
  }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir.path() + "/" + name) << text; }
};

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

}  // namespace
}  // namespace vigil::policy
