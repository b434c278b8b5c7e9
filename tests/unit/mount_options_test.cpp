#include <gtest/gtest.h>
#include <linux/mount.h>
#include <sys/mount.h>

#include "runtime/rootfs/mount_options.hpp"

namespace vigil {
namespace {

MountOptions parse(std::vector<std::string> o) {
  auto r = parse_mount_options(o);
  EXPECT_TRUE(r.ok());
  return std::move(r).value();
}

TEST(MountOptions, AttributesAndData) {
  auto o = parse({"nosuid", "noexec", "nodev", "ro", "mode=755", "size=65536k", "newinstance"});
  EXPECT_FALSE(o.bind);
  EXPECT_EQ(o.attr.set, uint64_t(MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODEV | MOUNT_ATTR_RDONLY));
  ASSERT_EQ(o.fs.size(), 3u);
  EXPECT_EQ(o.fs[0], (std::pair<std::string, std::string>{"mode", "755"}));
  EXPECT_EQ(o.fs[2], (std::pair<std::string, std::string>{"newinstance", ""}));
}

TEST(MountOptions, TmpcopyupIsOursNotTheFilesystems) {
  auto o = parse({"tmpcopyup", "mode=1777"});
  EXPECT_TRUE(o.tmpcopyup);
  ASSERT_EQ(o.fs.size(), 1u);
  EXPECT_FALSE(parse({"tmpcopyup", "notmpcopyup"}).tmpcopyup);
}

TEST(MountOptions, LaterOptionWins) {
  auto o = parse({"ro", "rw", "nosuid", "suid"});
  EXPECT_EQ(o.attr.set, 0u);
  EXPECT_EQ(o.attr.clr, uint64_t(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID));
}

TEST(MountOptions, BindAndRecursive) {
  auto o = parse({"rbind", "rro", "rnosuid", "rprivate"});
  EXPECT_TRUE(o.bind);
  EXPECT_TRUE(o.recursive);
  EXPECT_TRUE(o.rec_attr.recursive);
  EXPECT_EQ(o.rec_attr.set, uint64_t(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID));
  EXPECT_EQ(o.propagation, uint64_t(MS_PRIVATE));
  EXPECT_TRUE(o.rec_propagation);
  EXPECT_EQ(o.attr.set, 0u);
}

TEST(MountOptions, AtimeIsOneField) {
  auto o = parse({"noatime", "strictatime"});
  EXPECT_EQ(o.attr.set & MOUNT_ATTR__ATIME, uint64_t(MOUNT_ATTR_STRICTATIME));
  EXPECT_EQ(o.attr.clr & MOUNT_ATTR__ATIME, uint64_t(MOUNT_ATTR__ATIME));
  EXPECT_EQ(parse({"relatime"}).attr.set, uint64_t(MOUNT_ATTR_RELATIME));
}

TEST(MountOptions, SuperblockFlagsAndIgnored) {
  auto o = parse({"sync", "defaults", "x-systemd.automount", "remount"});
  ASSERT_EQ(o.fs.size(), 1u);
  EXPECT_EQ(o.fs[0].first, "sync");
}

TEST(MountOptions, IdmapIsRefused) {
  auto r = parse_mount_options({"idmap"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().str(), "mount option idmap is not supported: EOPNOTSUPP (Operation not supported)");
}

}  // namespace
}  // namespace vigil
