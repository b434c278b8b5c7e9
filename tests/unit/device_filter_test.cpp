// The cgroup v2 device program: compiled, loaded by the kernel's verifier, and enforced on a
// real cgroup2 directory (skipped where there is none we may use).
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/base/file.hpp"
#include "runtime/cgroup/device_filter.hpp"
#include "runtime/cgroup/hierarchies.hpp"

namespace vigil::cgroup {
namespace {

DeviceRule rule(bool allow, char type, std::optional<int64_t> major, std::optional<int64_t> minor, const char* acc) {
  return {allow, type, major, minor, acc};
}

std::string cgroup2_mount() {
  auto hs = host_hierarchies();
  if (!hs) return "";
  for (const auto& h : *hs)
    if (h.v2) return h.mount_point;
  return "";
}

// In a child moved into `dir`: which of /dev/null, /dev/zero, /dev/full open for reading and writing.
std::string probe(const std::string& dir) {
  int p[2];
  if (::pipe(p) < 0) return "pipe";
  pid_t pid = ::fork();
  if (pid == 0) {
    std::string me = std::to_string(::getpid());
    if (!write_file(dir + "/cgroup.procs", me).ok()) _exit(2);
    std::string out;
    for (const char* dev : {"/dev/null", "/dev/zero", "/dev/full"}) {
      int fd = ::open(dev, O_RDWR | O_CLOEXEC);
      out += fd >= 0 ? "y" : (errno == EPERM ? "n" : "?");
      if (fd >= 0) ::close(fd);
    }
    (void)!::write(p[1], out.data(), out.size());
    _exit(0);
  }
  ::close(p[1]);
  char buf[8] = {};
  ssize_t n = ::read(p[0], buf, sizeof buf);
  ::close(p[0]);
  int status;
  ::waitpid(pid, &status, 0);
  return n > 0 ? std::string(buf, size_t(n)) : "child failed";
}

TEST(DeviceFilter, VerifierAcceptsTheProgram) {
  if (::geteuid() != 0) GTEST_SKIP() << "loading BPF needs root";
  auto prog = compile_device_filter({rule(false, 'a', {}, {}, "rwm"), rule(true, 'c', 1, 3, "rwm"),
                                     rule(true, 'c', 136, {}, "rw"), rule(false, 'b', 8, {}, "w")});
  auto fd = load_device_filter(prog);
  ASSERT_TRUE(fd.ok()) << fd.error().str();
  EXPECT_TRUE(load_device_filter(compile_device_filter({})).ok());
}

TEST(DeviceFilter, EnforcedInOrderOnACgroup2Directory) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  std::string root = cgroup2_mount();
  if (root.empty()) GTEST_SKIP() << "no cgroup2 hierarchy on this host";
  std::string dir = root + "/vigil-unit-" + std::to_string(::getpid());
  if (::mkdir(dir.c_str(), 0755) < 0) GTEST_SKIP() << "cannot make a cgroup under " << root;
  // Deny everything, allow null and zero, then deny zero's write again: a later rule wins.
  auto prog = load_device_filter(compile_device_filter({rule(false, 'a', {}, {}, "rwm"), rule(true, 'c', 1, 3, "rwm"),
                                                        rule(true, 'c', 1, 5, "rwm"), rule(false, 'c', 1, 5, "w")}));
  ASSERT_TRUE(prog.ok()) << prog.error().str();
  auto dirfd = open_fd(dir, O_RDONLY | O_DIRECTORY);
  ASSERT_TRUE(dirfd.ok());
  auto attached = attach_device_filter(dirfd->get(), prog->get());
  EXPECT_TRUE(attached.ok()) << attached.error().str();
  EXPECT_EQ(probe(dir), "ynn");
  ::rmdir(dir.c_str());
}

}  // namespace
}  // namespace vigil::cgroup
