// linux.resources → cgroup files, for v1, v2 and a hybrid host, without a cgroupfs.
#include <gtest/gtest.h>

#include "runtime/cgroup/device_rules.hpp"
#include "runtime/cgroup/resources.hpp"
#include "runtime/cgroup/translate.hpp"

namespace vigil::cgroup {
namespace {

Resources parse(const std::string& text) {
  auto r = parse_resources(nlohmann::json::parse(text), "linux.resources");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().str());
  return std::move(r).value();
}

Where all_v1(const std::string&) { return Where::v1; }
Where all_v2(const std::string&) { return Where::v2; }
// This host: every controller on v1, hugetlb only on the unified hierarchy.
Where hybrid(const std::string& c) {
  if (c == "hugetlb") return Where::v2;
  if (c == "net_cls" || c == "net_prio" || c == "rdma") return Where::absent;
  return Where::v1;
}

std::vector<std::string> lines(const std::vector<Write>& ws) {
  std::vector<std::string> out;
  for (const auto& w : ws) out.push_back(w.controller + " " + w.file + "=" + w.value);
  return out;
}

TEST(CgroupTranslate, MemoryCpuPidsOnV1) {
  auto r = parse(R"({"memory":{"limit":67108864,"reservation":33554432,"swap":134217728,"swappiness":10,
      "disableOOMKiller":true},"cpu":{"shares":512,"quota":50000,"period":100000,"cpus":"0","mems":"0",
      "realtimeRuntime":1000,"realtimePeriod":2000,"burst":1000,"idle":1},"pids":{"limit":-1}})");
  auto ws = translate(r, all_v1);
  ASSERT_TRUE(ws.ok());
  EXPECT_EQ(lines(*ws), (std::vector<std::string>{
                            "memory memory.limit_in_bytes=67108864",
                            "memory memory.soft_limit_in_bytes=33554432",
                            "memory memory.memsw.limit_in_bytes=134217728",
                            "memory memory.swappiness=10",
                            "memory memory.oom_control=1",
                            "cpu cpu.shares=512",
                            "cpu cpu.cfs_period_us=100000",
                            "cpu cpu.cfs_quota_us=50000",
                            "cpu cpu.cfs_burst_us=1000",
                            "cpu cpu.rt_period_us=2000",
                            "cpu cpu.rt_runtime_us=1000",
                            "cpu cpu.idle=1",
                            "cpuset cpuset.cpus=0",
                            "cpuset cpuset.mems=0",
                            "pids pids.max=max",
                        }));
}

TEST(CgroupTranslate, V2Conversions) {
  auto r = parse(R"({"memory":{"limit":67108864,"swap":134217728,"reservation":-1},
      "cpu":{"shares":1024,"quota":50000,"period":100000},"pids":{"limit":100},
      "blockIO":{"weight":500,"throttleReadBpsDevice":[{"major":8,"minor":0,"rate":1048576}]},
      "hugepageLimits":[{"pageSize":"2MB","limit":4194304}],"unified":{"memory.high":"50000000"}})");
  auto ws = translate(r, all_v2);
  ASSERT_TRUE(ws.ok()) << ws.error().str();
  EXPECT_EQ(lines(*ws), (std::vector<std::string>{
                            "memory memory.max=67108864",
                            "memory memory.low=max",
                            "memory memory.swap.max=67108864",
                            "cpu cpu.weight=39",
                            "cpu cpu.max=50000 100000",
                            "pids pids.max=100",
                            "blkio io.weight=4950",
                            "blkio io.max=8:0 rbps=1048576",
                            "hugetlb hugetlb.2MB.max=4194304",
                            "memory memory.high=50000000",
                        }));
}

TEST(CgroupTranslate, WeightConversionsMatchRunc) {
  EXPECT_EQ(shares_to_weight(2), 1u);
  EXPECT_EQ(shares_to_weight(1024), 39u);
  EXPECT_EQ(shares_to_weight(262144), 10000u);
  EXPECT_EQ(blkio_to_io_weight(10), 1u);
  EXPECT_EQ(blkio_to_io_weight(1000), 10000u);
}

TEST(CgroupTranslate, HybridRoutesEachControllerToItsHierarchy) {
  auto ws = translate(parse(R"({"memory":{"limit":1048576},"hugepageLimits":[{"pageSize":"2MB","limit":0}]})"), hybrid);
  ASSERT_TRUE(ws.ok());
  EXPECT_EQ(lines(*ws), (std::vector<std::string>{"memory memory.limit_in_bytes=1048576", "hugetlb hugetlb.2MB.max=0"}));
}

TEST(CgroupTranslate, WhatTheHostLacksIsAnErrorNamingIt) {
  auto net = translate(parse(R"({"network":{"classID":5}})"), hybrid);
  ASSERT_FALSE(net.ok());
  EXPECT_EQ(net.error().str(),
            "the net_cls controller is not available on this host (needed for net_cls.classid): ENOENT (No such file or directory)");
  auto swappiness = translate(parse(R"({"memory":{"swappiness":10}})"), all_v2);
  ASSERT_FALSE(swappiness.ok());
  EXPECT_EQ(swappiness.error().code(), ENOTSUP);
  EXPECT_NE(swappiness.error().str().find("memory.swappiness"), std::string::npos);
  auto unified = translate(parse(R"({"unified":{"memory.high":"1"}})"), all_v1);
  ASSERT_FALSE(unified.ok());
  EXPECT_NE(unified.error().str().find("unified.memory.high"), std::string::npos);
}

TEST(CgroupTranslate, KernelMemoryIsOptional) {
  auto ws = translate(parse(R"({"memory":{"kernel":1048576,"kernelTCP":1048576}})"), all_v2);
  ASSERT_TRUE(ws.ok());
  EXPECT_TRUE(ws->empty());
  auto v1 = translate(parse(R"({"memory":{"kernel":1048576}})"), all_v1);
  ASSERT_EQ(v1->size(), 1u);
  EXPECT_TRUE((*v1)[0].optional);
}

TEST(CgroupDevices, RulesInOrderThenWhatEveryContainerNeeds) {
  auto r = parse(R"({"devices":[{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":10,"minor":229,"access":"rw"},
      {"allow":false,"type":"b","major":8}]})");
  auto rules = effective_device_rules(r.devices, {{"/dev/fuse", 'c', 10, 229, 0666, 0, 0}});
  auto ws = v1_device_writes(rules);
  ASSERT_GE(ws.size(), 5u);
  EXPECT_EQ(ws[0].file + " " + ws[0].value, "devices.deny a *:* rwm");
  EXPECT_EQ(ws[1].file + " " + ws[1].value, "devices.allow c 10:229 rw");
  EXPECT_EQ(ws[2].file + " " + ws[2].value, "devices.deny b 8:* rwm");
  EXPECT_EQ(ws[3].file + " " + ws[3].value, "devices.allow c *:* m");
  EXPECT_EQ(ws.back().file + " " + ws.back().value, "devices.allow c 10:229 rwm");
  bool null_allowed = false;
  for (const auto& w : ws) null_allowed |= w.value == "c 1:3 rwm";
  EXPECT_TRUE(null_allowed);
  EXPECT_TRUE(effective_device_rules({}, {}).empty());
}

TEST(CgroupResources, ValidationNamesThePath) {
  auto bad = parse_resources(nlohmann::json::parse(R"({"devices":[{"allow":true,"type":"x"}]})"), "linux.resources");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().str(), "linux.resources.devices[0].type must be a, c or b (got \"x\")");
  auto swap = parse_resources(nlohmann::json::parse(R"({"memory":{"swappiness":101}})"), "linux.resources");
  EXPECT_EQ(swap.error().str(), "linux.resources.memory.swappiness must be 0 to 100");
  auto key = parse_resources(nlohmann::json::parse(R"({"unified":{"../x":"1"}})"), "linux.resources");
  EXPECT_FALSE(key.ok());
}

}  // namespace
}  // namespace vigil::cgroup

namespace vigil::cgroup {
namespace {

TEST(CgroupTranslate, ZeroIsUnsetAndDefaultsNeverFail) {
  // 0 means "not set", as in runc: nothing is written, even where the host lacks the file.
  auto zero = translate(parse(R"({"memory":{"limit":0},"cpu":{"shares":0,"quota":0},"blockIO":{"weight":0}})"),
                        [](const std::string&) { return Where::absent; });
  ASSERT_TRUE(zero.ok()) << zero.error().str();
  EXPECT_TRUE(zero->empty());
  // The kernel's own defaults are no error on a host without the controller.
  auto defaults = translate(parse(R"({"memory":{"limit":-1},"cpu":{"shares":1024}})"),
                            [](const std::string&) { return Where::absent; });
  ASSERT_TRUE(defaults.ok()) << defaults.error().str();
  auto real = translate(parse(R"({"cpu":{"shares":512}})"), [](const std::string&) { return Where::absent; });
  EXPECT_FALSE(real.ok());
}

}  // namespace
}  // namespace vigil::cgroup
