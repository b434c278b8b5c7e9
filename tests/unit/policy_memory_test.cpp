#include <gtest/gtest.h>

#include "runtime/policy/memory_policy.hpp"
#include "runtime/policy/policy.hpp"
#include "runtime/policy/size.hpp"
#include "runtime/policy/sources.hpp"
#include "tests/unit/policy_host.hpp"

namespace vigil::policy {
namespace {

TEST(PolicySize, BytesAndUnits) {
  EXPECT_EQ(parse_size("0"), 0u);
  EXPECT_EQ(parse_size("4096"), 4096u);
  EXPECT_EQ(parse_size("64K"), 65536u);
  EXPECT_EQ(parse_size("256M"), 268435456u);
  EXPECT_EQ(parse_size("4G"), UINT64_C(4) << 30);
  EXPECT_EQ(parse_size("2T"), UINT64_C(2) << 40);
  EXPECT_EQ(parse_size("8388608T"), UINT64_C(1) << 63);
  for (const char* bad : {"", "M", "-1", "1.5G", "1g", "1MB", " 1M", "1 M", "0x10", "8388609T",
                          "99999999999999999999", "1KK"})
    EXPECT_EQ(parse_size(bad), std::nullopt) << bad;
  EXPECT_EQ(size_text(268435456), "256M");
  EXPECT_EQ(size_text(1536 * 1024), "1536K");
  EXPECT_EQ(size_text(100), "100");
  EXPECT_EQ(size_text(0), "0");
}

using internal::problems;

TEST(PolicyMemory, TheSection) {
  auto p = parse_policy(R"({"version": 1, "supervise": true,
    "memory": {"max": "256M", "vm_max": 4294967296, "container_max": "cgroup", "action": "warn"}})",
                        "p.json");
  ASSERT_TRUE(p.ok()) << p.error().what();
  // Sizes are kept as byte counts.
  EXPECT_EQ(p->doc["memory"]["max"], 268435456u);
  auto m = memory_policy(*p);
  EXPECT_EQ(m.max, 268435456u);
  EXPECT_EQ(m.vm_max, UINT64_C(4) << 30);
  EXPECT_TRUE(m.container_max_from_cgroup);
  EXPECT_EQ(m.action, Action::warn);
  // Nothing set: no limit, and refusals by default.
  auto none = memory_policy(Policy{});
  EXPECT_EQ(none.max, 0u);
  EXPECT_EQ(none.vm_max, 0u);
  EXPECT_EQ(none.container_max, 0u);
  EXPECT_FALSE(none.container_max_from_cgroup);
  EXPECT_EQ(none.action, Action::deny);
}

TEST(PolicyMemory, EveryErrorWithItsPath) {
  const std::string size = ": must be a size: bytes, or a number with K, M, G or T";
  EXPECT_EQ(problems(R"({"version": 1, "memory": {"max": "1.5G", "vm_max": "cgroup", "container_max": -1,
                                                  "action": "allow", "min": 1}})"),
            (std::vector<std::string>{"p.json: memory.action: must be one of warn, deny, kill",
                                      "p.json: memory.container_max" + size + R"(, or "cgroup")",
                                      "p.json: memory.max" + size, "p.json: memory.min: unknown key",
                                      "p.json: memory.vm_max" + size}));
}

using Host = internal::PolicyHost;

TEST(PolicyMemory, AnnotationsOnlyTighten) {
  Host h;
  h.write("policy.json", R"({"version": 1, "supervise": true, "memory": {"max": "256M", "action": "deny"}})");
  auto lower = effective_policy(h.sources, {{"run.vigil.memory.max", "64M"}, {"run.vigil.memory.action", "kill"},
                                            {"run.vigil.memory.vm_max", "1G"}});
  ASSERT_TRUE(lower.ok()) << lower.error().what();
  auto m = memory_policy(*lower);
  EXPECT_EQ(m.max, 64u << 20);
  EXPECT_EQ(m.vm_max, 1u << 30);
  EXPECT_EQ(m.action, Action::kill);
  auto err = [&](const char* key, const char* value) {
    auto r = effective_policy(h.sources, {{key, value}});
    return r.ok() ? std::string("ok") : r.error().what();
  };
  EXPECT_EQ(err("run.vigil.memory.max", "512M"),
            "annotation run.vigil.memory.max: memory.max=536870912 would loosen the host's policy (memory.max is "
            "268435456)");
  EXPECT_EQ(err("run.vigil.memory.max", "0"),
            "annotation run.vigil.memory.max: memory.max=0 would loosen the host's policy (memory.max is 268435456)");
  EXPECT_EQ(err("run.vigil.memory.action", "warn"),
            "annotation run.vigil.memory.action: memory.action=warn would loosen the host's policy (memory.action "
            "is deny)");
  EXPECT_EQ(err("run.vigil.memory.action", "allow"), "annotation run.vigil.memory.action=allow: must be one of warn, deny, kill");
  EXPECT_EQ(err("run.vigil.memory.max", "lots"),
            "annotation run.vigil.memory.max=lots: must be a size: bytes, or a number with K, M, G or T");
  // "cgroup" replaces no limit; it and a byte count cannot be weighed before create.
  EXPECT_EQ(err("run.vigil.memory.container_max", "cgroup"), "ok");
  h.write("policy.json", R"({"version": 1, "supervise": true, "memory": {"container_max": "cgroup"}})");
  EXPECT_EQ(err("run.vigil.memory.container_max", "cgroup"), "ok");
  EXPECT_EQ(err("run.vigil.memory.container_max", "1G"),
            "annotation run.vigil.memory.container_max: memory.container_max=1073741824 would loosen the host's "
            "policy (memory.container_max is cgroup)");
}

}  // namespace
}  // namespace vigil::policy
