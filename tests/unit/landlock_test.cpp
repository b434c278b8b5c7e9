// Landlock domains (deny-all, a ruleset), tried in forked children on this kernel (skipped without Landlock).
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <fstream>

#include "runtime/base/unique_fd.hpp"
#include "runtime/landlock/landlock.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil {
namespace {

// The checks' failures as a child's exit code: 0 when every refusal happened.
template <class F>
int in_child(F checks) {
  pid_t pid = ::fork();
  if (pid == 0) ::syscall(SYS_exit_group, checks());
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

TEST(Landlock, FsRightsGrowWithTheAbi) {
  EXPECT_EQ(landlock::fs_rights(0), 0u);
  EXPECT_EQ(landlock::fs_rights(1), 0x1fffu);
  EXPECT_EQ(landlock::fs_rights(2), 0x3fffu);
  EXPECT_EQ(landlock::fs_rights(3), 0x7fffu);
  EXPECT_EQ(landlock::fs_rights(4), 0x7fffu);
  EXPECT_EQ(landlock::fs_rights(7), 0xffffu);
}

TEST(Landlock, DenyAllLeavesNoFileNoTcpAndNoSignalOutside) {
  int abi = landlock::abi_version();
  if (abi == 0) GTEST_SKIP() << "this kernel has no Landlock";
  // Outside the domain: a listener and a process to signal.
  unique_fd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener.get(), 1), 0);
  ASSERT_EQ(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &len), 0);
  pid_t outside = ::getpid();
  int rc = in_child([&] {
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return 90;
    auto used = landlock::deny_all();
    if (!used || *used != abi) return 91;
    if (::open("/etc/hostname", O_RDONLY | O_CLOEXEC) >= 0 || errno != EACCES) return 1;
    if (::open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC) >= 0 || errno != EACCES) return 2;
    if (::mkdir("/tmp/vigil-landlock-test", 0700) == 0 || errno != EACCES) return 3;
    if (abi >= 4) {
      int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (s < 0 || ::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 || errno != EACCES) return 4;
    }
    if (abi >= 6 && (::kill(outside, 0) == 0 || errno != EPERM)) return 5;
    return 0;
  });
  EXPECT_EQ(rc, 0) << "failed check " << rc << " (ABI " << abi << ")";
}

TEST(Landlock, ARulesetGrantsOnlyItsTreesAndFiles) {
  if (landlock::abi_version() < landlock::kReferAbi) GTEST_SKIP() << "this kernel has Landlock ABI " << landlock::abi_version();
  internal::TempDir d;
  ASSERT_EQ(::mkdir((d.path() + "/open").c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((d.path() + "/closed").c_str(), 0755), 0);
  std::ofstream(d.path() + "/open/a") << "a";
  std::ofstream(d.path() + "/closed/b") << "b";
  std::ofstream(d.path() + "/one") << "1";
  landlock::Ruleset r;
  r.handled_fs = landlock::kReadFile | landlock::kWriteFile | landlock::kMakeReg | landlock::kRefer;
  r.rules = {{d.path() + "/open", true, landlock::kReadFile | landlock::kMakeReg},
             {d.path() + "/one", false, landlock::kReadFile},
             {d.path() + "/missing", true, landlock::kReadFile}};
  int rc = in_child([&] {
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return 90;
    if (auto st = landlock::restrict(r); !st) return 91;
    auto opens = [&](const std::string& p, int flags) {
      int fd = ::open((d.path() + p).c_str(), flags | O_CLOEXEC, 0600);
      return fd >= 0 || errno != EACCES;
    };
    if (!opens("/open/a", O_RDONLY)) return 1;
    if (opens("/open/a", O_WRONLY)) return 2;
    if (opens("/closed/b", O_RDONLY)) return 3;
    if (!opens("/one", O_RDONLY)) return 4;
    if (!opens("/open/new", O_CREAT | O_RDONLY)) return 5;
    if (opens("/closed/new", O_CREAT | O_RDONLY)) return 6;
    return 0;
  });
  EXPECT_EQ(rc, 0) << "failed check " << rc;
  // A tree rule on a file, a file rule on a directory: refused, not a looser domain.
  rc = in_child([&] {
    ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    landlock::Ruleset bad{landlock::kReadFile, 0, {{d.path() + "/one", true, landlock::kReadFile}}};
    auto st = landlock::restrict(bad);
    if (st || st.error().code() != ENOTDIR) return 1;
    bad.rules = {{d.path() + "/open", false, landlock::kReadFile}};
    st = landlock::restrict(bad);
    return st || st.error().code() != EISDIR ? 2 : 0;
  });
  EXPECT_EQ(rc, 0) << "failed check " << rc;
}

}  // namespace
}  // namespace vigil
