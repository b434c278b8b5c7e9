// mountinfo and cgroup hierarchy parsing, on text like this host's.
#include <gtest/gtest.h>

#include "runtime/cgroup/cgroup.hpp"
#include "runtime/cgroup/hierarchies.hpp"
#include "runtime/rootfs/mountinfo.hpp"

namespace vigil {
namespace {

const char* kMountinfo =
    "22 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:5 - cgroup cgroup rw,cpu,cpuacct\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
    "50 22 0:50 / /mnt/with\\040space rw - tmpfs tmpfs rw\n";

const char* kProcCgroup =
    "9:name=systemd:/\n"
    "4:memory:/process_api/abc\n"
    "1:cpu,cpuacct:/\n"
    "0::/\n";

TEST(Mountinfo, ParsesFieldsAndEscapes) {
  auto m = parse_mountinfo(kMountinfo);
  ASSERT_EQ(m.size(), 7u);
  EXPECT_EQ(m[2].mount_point, "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ(m[2].fs_type, "cgroup");
  EXPECT_EQ(m[2].super_options, "rw,cpu,cpuacct");
  EXPECT_EQ(m[6].mount_point, "/mnt/with space");
}

TEST(Hierarchies, HybridHost) {
  auto hs = parse_hierarchies(kMountinfo, kProcCgroup);
  ASSERT_EQ(hs.size(), 4u);
  EXPECT_EQ(hs[0].controllers, "cpu,cpuacct");
  EXPECT_EQ(hs[1].controllers, "memory");
  EXPECT_EQ(hs[1].path, "/process_api/abc");
  EXPECT_EQ(hs[2].controllers, "name=systemd");
  EXPECT_TRUE(hs[3].v2);
  // A relative cgroupsPath lands below this process's own cgroup in each hierarchy.
  auto binds = cgroup::Cgroup::plan(hs, "c1", "c1").value().binds();
  ASSERT_EQ(binds.size(), 4u);
  EXPECT_EQ(binds[1].name, "memory");
  EXPECT_EQ(binds[1].host_dir, "/sys/fs/cgroup/memory/process_api/abc/c1");
  EXPECT_EQ(binds[3].name, "unified");
  EXPECT_EQ(binds[3].host_dir, "/sys/fs/cgroup/unified/c1");
}

TEST(Hierarchies, PureV2Host) {
  auto hs = parse_hierarchies("30 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", "0::/user.slice/x\n");
  auto binds = cgroup::Cgroup::plan(hs, "c1", "c1").value().binds();
  ASSERT_EQ(binds.size(), 1u);
  EXPECT_EQ(binds[0].name, "");
  EXPECT_EQ(binds[0].host_dir, "/sys/fs/cgroup/user.slice/x/c1");
}

}  // namespace
}  // namespace vigil
