// The cgroup directories against a fake cgroupfs: plain directories in a temp dir standing
// in for the hierarchies' mount points.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "runtime/base/file.hpp"
#include "runtime/cgroup/cgroup.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil::cgroup {
namespace {

void put(const std::string& path, const std::string& text) { std::ofstream(path) << text; }
std::string get(const std::string& path) { return read_file(path).value_or("<missing>"); }

struct FakeHost {
  internal::TempDir dir;
  std::string v1 = dir.path() + "/memory";
  std::string v2 = dir.path() + "/unified";
  std::vector<Hierarchy> hs;
  FakeHost() {
    ::mkdir(v1.c_str(), 0755);
    ::mkdir(v2.c_str(), 0755);
    put(v2 + "/cgroup.controllers", "hugetlb pids\n");
    put(v2 + "/cgroup.subtree_control", "");
    hs = {{v1, false, "memory", "/user/shell"}, {v2, true, "", "/"}};
  }
};

TEST(CgroupTree, PlanPaths) {
  FakeHost h;
  auto def = Cgroup::plan(h.hs, "", "c1").value().binds();
  EXPECT_EQ(def[0].host_dir, h.v1 + "/vigil/c1");
  EXPECT_EQ(def[0].name, "memory");
  EXPECT_EQ(def[1].host_dir, h.v2 + "/vigil/c1");
  EXPECT_EQ(def[1].name, "unified");
  auto rel = Cgroup::plan(h.hs, "pod/c1", "c1").value().binds();
  EXPECT_EQ(rel[0].host_dir, h.v1 + "/user/shell/pod/c1");
  EXPECT_EQ(Cgroup::plan(h.hs, "/a/../b", "c1").error().code(), EINVAL);
  // systemd's form needs --systemd-cgroup; the driver, a host of cgroup v2 alone.
  EXPECT_EQ(Cgroup::plan(h.hs, "system.slice:vigil:c1", "c1").error().code(), EINVAL);
  EXPECT_EQ(Cgroup::plan(h.hs, "system.slice:vigil:c1", "c1", true).error().code(), ENOTSUP);
}

TEST(CgroupTree, CreateApplyDestroyKeepsWhatWasThere) {
  FakeHost h;
  ::mkdir((h.v1 + "/pre").c_str(), 0755);
  auto cg = Cgroup::plan(h.hs, "/pre/c1", "c1").value();
  ASSERT_TRUE(cg.create().ok());
  struct stat st;
  ASSERT_EQ(::stat((h.v1 + "/pre/c1").c_str(), &st), 0);
  // A fake cgroupfs has no kernel files: make the ones apply writes.
  put(h.v1 + "/pre/c1/memory.limit_in_bytes", "");
  put(h.v2 + "/pre/c1/hugetlb.2MB.max", "");
  put(h.v2 + "/pre/cgroup.subtree_control", "");
  Resources r;
  r.memory = Memory{};
  r.memory->limit = 1048576;
  r.hugepage_limits = {{"2MB", 0}};
  auto applied = cg.apply(r, nullptr);
  // The unified root (which we did not create) does not delegate hugetlb: refused, and named.
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.error().str().find(h.v2 + "/cgroup.subtree_control"), std::string::npos) << applied.error().str();
  put(h.v2 + "/cgroup.subtree_control", "hugetlb\n");
  ASSERT_TRUE(cg.apply(r, nullptr).ok());
  EXPECT_EQ(get(h.v1 + "/pre/c1/memory.limit_in_bytes"), "1048576");
  EXPECT_EQ(get(h.v2 + "/pre/c1/hugetlb.2MB.max"), "0");
  EXPECT_EQ(get(h.v2 + "/pre/cgroup.subtree_control"), "+hugetlb");
  auto round = Cgroup::from_json(cg.to_json());
  ASSERT_TRUE(round.ok());
  // The fake has files where the kernel has none; clear them so rmdir works as on cgroupfs.
  ::unlink((h.v1 + "/pre/c1/memory.limit_in_bytes").c_str());
  ::unlink((h.v2 + "/pre/c1/hugetlb.2MB.max").c_str());
  ::unlink((h.v2 + "/pre/cgroup.subtree_control").c_str());
  ASSERT_TRUE(round->destroy().ok());
  EXPECT_NE(::stat((h.v1 + "/pre/c1").c_str(), &st), 0);
  EXPECT_EQ(::stat((h.v1 + "/pre").c_str(), &st), 0) << "a cgroup vigil did not create was removed";
  EXPECT_NE(::stat((h.v2 + "/pre").c_str(), &st), 0) << "a parent vigil created was left";
}

TEST(CgroupTree, MissingFileIsAnErrorNamingIt) {
  FakeHost h;
  auto cg = Cgroup::plan({h.hs[0]}, "/c2", "c2").value();
  ASSERT_TRUE(cg.create().ok());
  Resources r;
  r.memory = Memory{};
  r.memory->limit = 1;
  auto st = cg.apply(r, nullptr);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().str(), "the host's memory controller has no memory.limit_in_bytes (" + h.v1 +
                                  "/c2/memory.limit_in_bytes): ENOENT (No such file or directory)");
  ASSERT_TRUE(cg.destroy().ok());
}

TEST(CgroupTree, SubCgroupForExec) {
  FakeHost h;
  auto cg = Cgroup::plan(h.hs, "/c1", "c1").value();
  ::mkdir((h.v1 + "/c1").c_str(), 0755);
  ::mkdir((h.v2 + "/c1").c_str(), 0755);
  ::mkdir((h.v1 + "/c1/a").c_str(), 0755);
  ::mkdir((h.v1 + "/c1/a/b").c_str(), 0755);
  ::mkdir((h.v2 + "/c1/x").c_str(), 0755);
  auto dirs = [](const Cgroup& c) {
    std::vector<std::string> out;
    for (const auto& b : c.binds()) out.push_back(b.host_dir);
    return out;
  };
  // A controller's spec wins over a bare one for its hierarchy, whatever the order.
  auto both = cg.sub_cgroup({"x", "memory:./a//b/"});
  ASSERT_TRUE(both.ok()) << both.error().str();
  EXPECT_EQ(dirs(*both), (std::vector<std::string>{h.v1 + "/c1/a/b", h.v2 + "/c1/x"}));
  auto one = cg.sub_cgroup({"unified:x"});
  ASSERT_TRUE(one.ok()) << one.error().str();
  EXPECT_EQ(dirs(*one), (std::vector<std::string>{h.v1 + "/c1", h.v2 + "/c1/x"}));
  EXPECT_EQ(cg.sub_cgroup({"x"}).error().what(), "--cgroup x: " + h.v1 + "/c1/x does not exist");
  EXPECT_EQ(cg.sub_cgroup({"a/../../y"}).error().what(), "--cgroup a/../../y: must stay below the container's cgroup");
  EXPECT_EQ(cg.sub_cgroup({"cpu:a"}).error().what(), "--cgroup cpu:a: no cgroup hierarchy carries cpu");
  EXPECT_EQ(cg.sub_cgroup({"memory:."}).error().what(), "--cgroup memory:.: names no sub-cgroup");
}

}  // namespace
}  // namespace vigil::cgroup
