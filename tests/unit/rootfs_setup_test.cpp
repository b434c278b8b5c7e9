// The rootfs checklist against the recording fake: which mounts, in which order, with what.
#include <gtest/gtest.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "oci/parse.hpp"
#include "runtime/rootfs/rootfs.hpp"
#include "tests/unit/fake_sys.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil {
namespace {

using internal::FakeSys;
using internal::TempDir;

oci::Spec spec_with(const std::string& mounts, const std::string& linux_extra = "") {
  std::string text = R"({"ociVersion":"1.2.0","root":{"path":"rootfs","readonly":true},
    "process":{"args":["sh"],"cwd":"/"},
    "mounts":)" + mounts + R"(,
    "linux":{"namespaces":[{"type":"mount"},{"type":"pid"}])" + linux_extra + "}}";
  auto spec = oci::parse_spec(text);
  EXPECT_TRUE(spec.ok()) << (spec.ok() ? "" : spec.error().str());
  return std::move(spec).value();
}

size_t index_of(const std::vector<std::string>& calls, const std::string& prefix) {
  for (size_t i = 0; i < calls.size(); i++)
    if (calls[i].rfind(prefix, 0) == 0) return i;
  return calls.size();
}

struct Fixture {
  TempDir dir;
  std::string rootfs = dir.path() + "/rootfs";
  FakeSys sys;
  Fixture() { ::mkdir(rootfs.c_str(), 0755); }
  Status run(const oci::Spec& spec, bool userns = false) {
    RootfsParams p;
    p.spec = &spec;
    p.rootfs = rootfs;
    p.bundle = dir.path();
    p.in_userns = userns;
    return setup_rootfs(sys, p);
  }
};

TEST(RootfsSetup, OrderOfSteps) {
  Fixture f;
  auto spec = spec_with(R"([{"destination":"/proc","type":"proc","source":"proc","options":["nosuid","noexec"]},
      {"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","mode=755","size=65536k"]}])",
                        R"(,"maskedPaths":["/proc/kcore"],"readonlyPaths":["/proc/sys"])");
  ::mkdir((f.rootfs + "/proc").c_str(), 0755);
  ::mkdir((f.rootfs + "/proc/sys").c_str(), 0755);
  std::ofstream(f.rootfs + "/proc/kcore") << "";
  ASSERT_TRUE(f.run(spec).ok());
  const auto& c = f.sys.calls;
  ASSERT_GE(c.size(), 6u);
  EXPECT_EQ(c[0], "propagation / " + std::to_string(MS_SLAVE | MS_REC));
  EXPECT_EQ(c[1].rfind("propagation ", 0), 0u);
  EXPECT_EQ(c[2].rfind("rbind on " + f.rootfs, 0), 0u);
  EXPECT_EQ(c[3], "mount proc proc on /proc [] attr=" + std::to_string(MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC));
  EXPECT_EQ(c[4], "mount tmpfs tmpfs on /dev [mode=755,size=65536k] attr=" + std::to_string(MOUNT_ATTR_NOSUID));
  // Devices after the mounts, then masks, read-only paths, pivot_root, and the read-only root last.
  size_t mknod = index_of(c, "mknod /dev/null");
  size_t mask = index_of(c, "bind on /proc/kcore");
  size_t ro = index_of(c, "rbind on /proc/sys");
  size_t pivot = index_of(c, "pivot_root");
  size_t root_ro = index_of(c, "setattr / set=" + std::to_string(MOUNT_ATTR_RDONLY));
  EXPECT_LT(4u, mknod);
  EXPECT_LT(mknod, mask);
  EXPECT_LT(mask, ro);
  EXPECT_LT(ro, pivot);
  EXPECT_LT(pivot, root_ro);
  EXPECT_EQ(root_ro, c.size() - 1);
  EXPECT_EQ(c[ro], "rbind on /proc/sys rec=" + std::to_string(MOUNT_ATTR_RDONLY) + " top=0/0");
}

TEST(RootfsSetup, DefaultDevicesAndLinks) {
  Fixture f;
  ASSERT_TRUE(f.run(spec_with("[]", R"(,"devices":[{"path":"/dev/fuse","type":"c","major":10,"minor":229}])")).ok());
  const auto& c = f.sys.calls;
  EXPECT_LT(index_of(c, "mknod /dev/fuse " + std::to_string(S_IFCHR | 0666)), c.size());
  for (const char* d : {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"})
    EXPECT_LT(index_of(c, std::string("mknod ") + d), c.size()) << d;
  char buf[64] = {};
  ASSERT_GT(::readlink((f.rootfs + "/dev/ptmx").c_str(), buf, sizeof buf - 1), 0);
  EXPECT_STREQ(buf, "pts/ptmx");
  ASSERT_GT(::readlink((f.rootfs + "/dev/fd").c_str(), buf, sizeof buf - 1), 0);
}

TEST(RootfsSetup, DevicesAreBoundInAUserNamespace) {
  Fixture f;
  ASSERT_TRUE(f.run(spec_with("[]"), true).ok());
  EXPECT_EQ(index_of(f.sys.calls, "mknod"), f.sys.calls.size());
  EXPECT_LT(index_of(f.sys.calls, "bind on /dev/null"), f.sys.calls.size());
}

TEST(RootfsSetup, MountTargetsStayInsideTheRootfs) {
  Fixture f;
  TempDir outside;
  ASSERT_EQ(::symlink(outside.path().c_str(), (f.rootfs + "/evil").c_str()), 0);
  ASSERT_TRUE(f.run(spec_with(R"([{"destination":"/evil/x","type":"tmpfs","source":"tmpfs"}])")).ok());
  struct stat st;
  EXPECT_NE(::stat((outside.path() + "/x").c_str(), &st), 0) << "created a directory outside the rootfs";
  EXPECT_EQ(::stat((f.rootfs + "/" + outside.path() + "/x").c_str(), &st), 0);
}

TEST(RootfsSetup, ProcOnASymlinkIsRefused) {
  Fixture f;
  ::mkdir((f.rootfs + "/etc").c_str(), 0755);
  ASSERT_EQ(::symlink("/etc", (f.rootfs + "/proc").c_str()), 0);
  auto st = f.run(spec_with(R"([{"destination":"/proc","type":"proc","source":"proc"}])"));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), ELOOP);
  EXPECT_NE(st.error().str().find("mount /proc"), std::string::npos) << st.error().str();
}

TEST(RootfsSetup, BindSourceKindMustMatchDestination) {
  Fixture f;
  std::ofstream(f.dir.path() + "/file") << "x";
  ::mkdir((f.rootfs + "/d").c_str(), 0755);
  auto st = f.run(spec_with(R"([{"destination":"/d","type":"bind","source":"file","options":["bind"]}])"));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), EISDIR);
}

TEST(RootfsSetup, NoPivotMovesTheRoot) {
  Fixture f;
  auto spec = spec_with("[]");
  RootfsParams p;
  p.spec = &spec;
  p.rootfs = f.rootfs;
  p.no_pivot = true;
  ASSERT_TRUE(setup_rootfs(f.sys, p).ok());
  EXPECT_LT(index_of(f.sys.calls, "move_root"), f.sys.calls.size());
  EXPECT_EQ(index_of(f.sys.calls, "pivot_root"), f.sys.calls.size());
}

TEST(RootfsSetup, WithoutAMountNamespaceOnlyChrootsAfterTheHooks) {
  Fixture f;
  auto spec = oci::parse_spec(R"({"ociVersion":"1.2.0","root":{"path":"rootfs"},"process":{"args":["sh"],"cwd":"/"},
      "linux":{"namespaces":[{"type":"pid"}]}})");
  ASSERT_TRUE(spec.ok()) << spec.error().str();
  RootfsParams p;
  p.spec = &*spec;
  p.rootfs = f.rootfs;
  p.before_pivot = [&] { f.sys.calls.push_back("hooks"); return Status(); };
  p.console = [&](int) { f.sys.calls.push_back("console"); return Status(); };
  ASSERT_TRUE(setup_rootfs(f.sys, p).ok());
  EXPECT_EQ(f.sys.calls, (std::vector<std::string>{"hooks", "chroot"}));
}

}  // namespace
}  // namespace vigil
