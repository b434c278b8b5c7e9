#include <gtest/gtest.h>

#include "runtime/cgroup/cgroup.hpp"
#include "runtime/cgroup/systemd/properties.hpp"
#include "runtime/cgroup/systemd/unit_name.hpp"

namespace vigil::cgroup::systemd {
namespace {

TEST(SystemdUnitName, SliceScopeAndItsCgroup) {
  auto k8s = unit_name("kubepods-burstable-pod1234.slice:cri-containerd:abcd", "abcd");
  ASSERT_TRUE(k8s.ok()) << k8s.error().str();
  EXPECT_EQ(k8s->unit, "cri-containerd-abcd.scope");
  EXPECT_EQ(k8s->cgroup_path(), "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234.slice/cri-containerd-abcd.scope");
  // Empty parts: runc's defaults; an empty path is ":vigil:ID".
  auto none = unit_name("", "c1");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->cgroup_path(), "/system.slice/vigil-c1.scope");
  auto podman = unit_name("machine.slice:libpod:0123", "x");
  ASSERT_TRUE(podman.ok());
  EXPECT_EQ(podman->cgroup_path(), "/machine.slice/libpod-0123.scope");
  auto defaults = unit_name("::", "c2");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->cgroup_path(), "/system.slice/c2.scope");
  auto root = unit_name("-.slice:p:n", "x");
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->cgroup_path(), "/p-n.scope");
}

TEST(SystemdUnitName, WhatSystemdWouldRefuseIsAnError) {
  EXPECT_EQ(unit_name("/a/b", "x").error().code(), EINVAL);  // not slice:prefix:name
  EXPECT_EQ(unit_name("a:b", "x").error().code(), EINVAL);
  EXPECT_EQ(unit_name("a:b:c:d", "x").error().code(), EINVAL);
  EXPECT_EQ(unit_name("system:p:n", "x").error().code(), EINVAL);  // not a .slice
  EXPECT_EQ(unit_name("a--b.slice:p:n", "x").error().code(), EINVAL);
  EXPECT_EQ(unit_name("-a.slice:p:n", "x").error().code(), EINVAL);
  EXPECT_EQ(unit_name("a/b.slice:p:n", "x").error().code(), EINVAL);
  EXPECT_EQ(unit_name("system.slice:p:n m", "x").error().code(), EINVAL);
  EXPECT_EQ(unit_name("system.slice:p:pod.slice", "x").error().code(), ENOTSUP);
}

TEST(SystemdProperties, ResourcesAsSystemdHasThem) {
  Resources r;
  r.memory = Memory{};
  r.memory->limit = 64 << 20;
  r.memory->swap = 96 << 20;
  r.cpu = Cpu{};
  r.cpu->shares = 1024;
  r.cpu->quota = 50000;
  r.cpu->period = 100000;
  r.cpu->cpus = "0-2,9";
  r.pids_limit = 100;
  auto p = resource_properties(r);
  ASSERT_TRUE(p.ok()) << p.error().str();
  EXPECT_EQ(*p, (std::vector<Property>{{"MemoryMax", uint64_t(64 << 20)},
                                       {"MemorySwapMax", uint64_t(32 << 20)},
                                       {"CPUWeight", uint64_t(39)},
                                       {"CPUQuotaPeriodUSec", uint64_t(100000)},
                                       {"CPUQuotaPerSecUSec", uint64_t(500000)},
                                       {"AllowedCPUs", std::vector<uint8_t>{0x07, 0x02}},
                                       {"TasksMax", uint64_t(100)}}));
  // -1 is no limit: systemd's infinity. A quota systemd cannot hold is rounded up to 10 ms.
  r = {};
  r.memory = Memory{};
  r.memory->limit = -1;
  r.pids_limit = -1;
  r.cpu = Cpu{};
  r.cpu->quota = 1234;
  r.cpu->period = 100000;
  p = resource_properties(r);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, (std::vector<Property>{{"MemoryMax", kInfinity},
                                       {"CPUQuotaPeriodUSec", uint64_t(100000)},
                                       {"CPUQuotaPerSecUSec", uint64_t(20000)},
                                       {"TasksMax", kInfinity}}));
  EXPECT_EQ(cpu_mask("3-1").error().code(), EINVAL);
  EXPECT_EQ(cpu_mask("x").error().code(), EINVAL);
}

TEST(SystemdCgroup, PlannedOnCgroupV2AloneAndKeptInTheState) {
  Hierarchy v2;
  v2.mount_point = "/sys/fs/cgroup";
  v2.v2 = true;
  auto cg = Cgroup::plan({v2}, "machine.slice:libpod:c1", "c1", true);
  ASSERT_TRUE(cg.ok()) << cg.error().str();
  EXPECT_TRUE(cg->systemd());
  EXPECT_EQ(cg->procs_dir(), "/sys/fs/cgroup/machine.slice/libpod-c1.scope");
  auto again = Cgroup::from_json(cg->to_json());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->systemd());
  EXPECT_EQ(again->to_json(), cg->to_json());
  Hierarchy v1 = v2;
  v1.v2 = false;
  v1.controllers = "memory";
  EXPECT_EQ(Cgroup::plan({v1, v2}, "", "c1", true).error().code(), ENOTSUP);
  EXPECT_EQ(Cgroup::plan({v2}, "machine.slice:libpod:c1", "c1", false).error().code(), EINVAL);
}

}  // namespace
}  // namespace vigil::cgroup::systemd
