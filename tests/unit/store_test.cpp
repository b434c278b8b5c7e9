#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/container/store.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil {
namespace {

oci::ContainerState sample(const std::string& id) {
  oci::ContainerState s;
  s.oci_version = "1.2.0";
  s.id = id;
  s.pid = 42;
  s.start_time = 7;
  s.bundle = "/b";
  s.rootfs = "/b/rootfs";
  s.created = "2026-01-01T00:00:00.000000000Z";
  s.owner = "root";
  s.annotations = {{"k", "v"}};
  return s;
}

TEST(Store, CreateSaveLoadRemove) {
  internal::TempDir d;
  std::string root = d.path() + "/state/deep";
  auto dir = ContainerDir::create(root, "c1");
  ASSERT_TRUE(dir.ok()) << dir.error().str();
  // No state.json yet: others see no container.
  EXPECT_EQ(ContainerDir::open(root, "c1", false).error().str(), "container c1 does not exist: ENOENT (No such file or directory)");
  ASSERT_TRUE(dir->save(sample("c1")).ok());
  auto loaded = dir->load();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->pid, 42);
  EXPECT_EQ(loaded->annotations.at("k"), "v");
  EXPECT_EQ(list_container_ids(root), std::vector<std::string>{"c1"});
  auto dup = ContainerDir::create(root, "c1");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), EEXIST);
  struct stat st;
  ASSERT_EQ(::stat((root + "/c1").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_TRUE(dir->remove().ok());
  EXPECT_NE(::stat((root + "/c1").c_str(), &st), 0);
  EXPECT_TRUE(list_container_ids(root).empty());
}

TEST(Store, PublicStateHidesPidWhenStopped) {
  auto j = oci::public_state(sample("c1"), "stopped");
  EXPECT_EQ(j["pid"], 0);
  EXPECT_EQ(j["status"], "stopped");
  EXPECT_EQ(oci::public_state(sample("c1"), "running")["pid"], 42);
  EXPECT_EQ(j["annotations"]["k"], "v");
  EXPECT_FALSE(oci::state_from_json("{}").ok());
  // Numbers that are not integers of the field's type (the state fuzz target's find: 4e36).
  for (const char* pid : {"4e36", "1.5", "-1", "4294967296", "\"12\""}) {
    auto j = oci::to_json(sample("x"));
    j["pid"] = nlohmann::json::parse(pid);
    auto r = oci::state_from_json(j.dump());
    ASSERT_FALSE(r.ok()) << pid;
    EXPECT_EQ(r.error().what(), "corrupt state.json: pid, startTime, supervisorPid and supervisorStart must be integers >= 0");
  }
  EXPECT_EQ(oci::state_from_json(oci::to_json(sample("x")).dump())->id, "x");
}

}  // namespace
}  // namespace vigil
