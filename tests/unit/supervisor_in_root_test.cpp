// Lookups as a container's process makes them: absolute paths, `..` and absolute symlinks
// stay in its root, relative paths start at its cwd, and paths read back are the ones it sees.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "runtime/supervisor/in_root.hpp"
#include "tests/unit/on_thread.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil::supervisor {
namespace {

using vigil::internal::on_thread;

class InRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string& r = tmp.path();
    ASSERT_EQ(::mkdir((r + "/bin").c_str(), 0755), 0);
    ASSERT_EQ(::mkdir((r + "/sub").c_str(), 0755), 0);
    std::ofstream(r + "/bin/prog") << "#!/bin/sh\n";
    ASSERT_EQ(::symlink("/bin/prog", (r + "/sub/link").c_str()), 0);
    ASSERT_EQ(::mkfifo((r + "/fifo").c_str(), 0644), 0);
    root = unique_fd(::open(r.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    sub = unique_fd(::open((r + "/sub").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  }
  internal::TempDir tmp;
  unique_fd root, sub;
};

TEST_F(InRootTest, PathsResolveInsideTheRoot) {
  on_thread([&] {
    auto in = InRoot::enter(root.get());
    ASSERT_TRUE(in.ok()) << in.error().str();
    for (auto [base, path] : {std::pair{AT_FDCWD, "/bin/prog"}, {sub.get(), "../bin/prog"},
                              {sub.get(), "link"}, {AT_FDCWD, "/../../../bin/prog"}}) {
      auto f = in->open(base, path, false, true);
      ASSERT_TRUE(f.ok()) << path << ": " << f.error().str();
      EXPECT_EQ(f->path, "/bin/prog") << path;
      EXPECT_TRUE(f->dir.has_value());
      EXPECT_FALSE(f->fileless);
      // An O_PATH fd, opened for reading when first asked.
      char c;
      EXPECT_LT(::read(f->fd.get(), &c, 1), 0);
      auto readable = f->readable();
      ASSERT_TRUE(readable.ok()) << readable.error().str();
      EXPECT_EQ(::read(*readable, &c, 1), 1) << "open for reading";
      EXPECT_EQ(*f->readable(), *readable) << "opened once";
    }
  });
  // Left again: the host's root is the thread's own.
  on_thread([&] { EXPECT_EQ(::access(tmp.path().c_str(), F_OK), 0); });
}

TEST_F(InRootTest, RefusesWhatExecWould) {
  on_thread([&] {
    auto in = InRoot::enter(root.get());
    ASSERT_TRUE(in.ok());
    EXPECT_EQ(in->open(AT_FDCWD, "/fifo", false, false).error().code(), EACCES);
    EXPECT_EQ(in->open(AT_FDCWD, "/bin", false, false).error().code(), EACCES);
    EXPECT_EQ(in->open(AT_FDCWD, "/missing", false, false).error().code(), ENOENT);
    EXPECT_EQ(in->open(sub.get(), "link", true, false).error().code(), ELOOP);
  });
}

TEST_F(InRootTest, AdoptedDeletedFileIsFileless) {
  std::string path = tmp.path() + "/bin/gone";
  std::ofstream(path) << "x";
  unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_EQ(::unlink(path.c_str()), 0);
  on_thread([&] {
    auto in = InRoot::enter(root.get());
    ASSERT_TRUE(in.ok());
    auto f = in->adopt(std::move(fd), true);
    ASSERT_TRUE(f.ok()) << f.error().str();
    EXPECT_TRUE(f->fileless);
    EXPECT_EQ(f->path, "/bin/gone (deleted)");
    EXPECT_FALSE(f->dir.has_value());
  });
}

}  // namespace
}  // namespace vigil::supervisor
