#include "runtime/rootfs/copy_tree.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "runtime/base/file.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil {
namespace {

TEST(CopyTree, CopiesFilesDirsAndLinksWithTheirModesNeverFollowing) {
  internal::TempDir tmp;
  std::string a = tmp.path() + "/a", b = tmp.path() + "/b";
  ASSERT_EQ(::mkdir(a.c_str(), 0755), 0);
  ASSERT_EQ(::mkdir(b.c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((a + "/sub").c_str(), 0750), 0);
  std::ofstream(a + "/sub/f") << "content";
  ASSERT_EQ(::chmod((a + "/sub/f").c_str(), 0640), 0);
  // Links that would lead out of the tree are copied as links, not followed.
  ASSERT_EQ(::symlink("/etc/passwd", (a + "/abs").c_str()), 0);
  ASSERT_EQ(::symlink("../../", (a + "/sub/up").c_str()), 0);
  ASSERT_EQ(::mkfifo((a + "/fifo").c_str(), 0600), 0);
  unique_fd from(::open(a.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  unique_fd to(::open(b.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  auto st = copy_tree(from.get(), to.get());
  ASSERT_TRUE(st.ok()) << st.error().str();
  EXPECT_EQ(read_file(b + "/sub/f").value_or(""), "content");
  struct stat s;
  ASSERT_EQ(::stat((b + "/sub/f").c_str(), &s), 0);
  EXPECT_EQ(s.st_mode & 07777, 0640u);
  ASSERT_EQ(::stat((b + "/sub").c_str(), &s), 0);
  EXPECT_EQ(s.st_mode & 07777, 0750u);
  char link[64] = {};
  ASSERT_GT(::readlink((b + "/abs").c_str(), link, sizeof link - 1), 0);
  EXPECT_STREQ(link, "/etc/passwd");
  ASSERT_EQ(::lstat((b + "/sub/up").c_str(), &s), 0);
  EXPECT_TRUE(S_ISLNK(s.st_mode));
  EXPECT_NE(::access((b + "/fifo").c_str(), F_OK), 0);  // special files are skipped
}

}  // namespace
}  // namespace vigil
