// Lookups inside a rootfs never leave it, whatever the image's symlinks say.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "runtime/base/file.hpp"
#include "runtime/rootfs/resolve.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil {
namespace {

struct Root {
  internal::TempDir dir;
  unique_fd fd;
  Root() { fd = std::move(open_fd(dir.path(), O_PATH | O_DIRECTORY).value()); }
  std::string at(const std::string& p) const { return dir.path() + p; }
};

TEST(Resolve, AbsoluteSymlinksAndDotDotStayInside) {
  Root r;
  ::mkdir(r.at("/etc").c_str(), 0755);
  std::ofstream(r.at("/etc/passwd")) << "inside";
  ::symlink("/etc/passwd", r.at("/abs").c_str());
  ::symlink("../../../../etc/passwd", r.at("/rel").c_str());
  for (const char* p : {"/abs", "/rel", "/../../etc/passwd"}) {
    auto fd = open_in_root(r.fd.get(), p, O_RDONLY);
    ASSERT_TRUE(fd.ok()) << p;
    EXPECT_EQ(read_fd(fd->get()).value(), "inside") << p;
  }
}

TEST(Resolve, MagicLinksAreRefused) {
  Root r;
  ::mkdir(r.at("/proc").c_str(), 0755);
  auto fd = open_in_root(r.fd.get(), "/proc/../../../proc/self/root", O_PATH);
  EXPECT_FALSE(fd.ok());
}

TEST(Resolve, MakeCreatesInsideThroughSymlinks) {
  Root r;
  internal::TempDir outside;
  ::symlink(outside.path().c_str(), r.at("/out").c_str());
  auto fd = make_in_root(r.fd.get(), "/out/a/b", Create::dir);
  ASSERT_TRUE(fd.ok()) << fd.error().str();
  struct stat st;
  EXPECT_NE(::stat((outside.path() + "/a").c_str(), &st), 0);
  EXPECT_EQ(::stat(r.at(outside.path() + "/a/b").c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  auto file = make_in_root(r.fd.get(), "/f/file", Create::file);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(::stat(r.at("/f/file").c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
}

TEST(Resolve, NoSymlinksMode) {
  Root r;
  ::mkdir(r.at("/real").c_str(), 0755);
  ::symlink("/real", r.at("/proc").c_str());
  auto fd = make_in_root(r.fd.get(), "/proc", Create::dir, true);
  ASSERT_FALSE(fd.ok());
  EXPECT_EQ(fd.error().code(), ELOOP);
  EXPECT_TRUE(make_in_root(r.fd.get(), "/real", Create::dir, true).ok());
}

}  // namespace
}  // namespace vigil
