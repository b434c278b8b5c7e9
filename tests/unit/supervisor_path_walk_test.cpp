// Path lookups for opens the supervisor makes for a process (path_walk.hpp), on threads
// inside a root; /proc/self and magic links as the process's, not the supervisor's; and the
// identity a judging thread takes (act_as.hpp).
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

#include <gtest/gtest.h>

#include "runtime/supervisor/act_as.hpp"
#include "runtime/supervisor/in_root.hpp"
#include "runtime/supervisor/path_walk.hpp"
#include "runtime/supervisor/tracee_files.hpp"
#include "tests/unit/on_thread.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil::supervisor {
namespace {

using vigil::internal::on_thread;

// The path of `fd` as the calling thread sees it, through the host's /proc opened up front
// (a thread in a root has no /proc).
int own_fds() {
  static int fd = ::open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
  return fd;
}

std::string fd_path(int fd) {
  char buf[4096];
  ssize_t n = ::readlinkat(own_fds(), std::to_string(fd).c_str(), buf, sizeof buf);
  return n < 0 ? "" : std::string(buf, size_t(n));
}

class PathWalkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(own_fds(), 0);
    const std::string& r = tmp.path();
    ASSERT_EQ(::mkdir((r + "/etc").c_str(), 0755), 0);
    ASSERT_EQ(::mkdir((r + "/sub").c_str(), 0755), 0);
    std::ofstream(r + "/etc/secret") << "s";
    ASSERT_EQ(::symlink("/etc/secret", (r + "/sub/abs").c_str()), 0);
    ASSERT_EQ(::symlink("../etc", (r + "/sub/rel").c_str()), 0);
    ASSERT_EQ(::symlink("/etc/new", (r + "/sub/dangling").c_str()), 0);
    ASSERT_EQ(::symlink("loop", (r + "/sub/loop").c_str()), 0);
    root = unique_fd(::open(r.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    sub = unique_fd(::open((r + "/sub").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  }
  WalkFrom from() const { return {sub.get(), "1", "1", true, {}}; }
  internal::TempDir tmp;
  unique_fd root, sub;
};

TEST_F(PathWalkTest, InsideTheRootFromItsBase) {
  on_thread([&] {
    ASSERT_TRUE(InRoot::enter(root.get()).ok());
    for (const char* path : {"/etc/secret", "abs", "rel/secret", "../etc/secret", "/../../etc/secret", "./rel/../sub/rel/secret"}) {
      auto w = walk_path(from(), path, true);
      ASSERT_TRUE(w.ok()) << path << ": " << w.error().str();
      EXPECT_EQ(fd_path(w->fd.get()), "/etc/secret") << path;
    }
    // An absolute path that met no symlink names itself, as readlink would; one that met
    // one leaves its name to be asked.
    for (const char* path : {"/etc/secret", "//etc/./secret", "/sub/../etc/secret", "/../etc//secret"}) {
      auto w = walk_path(from(), path, true);
      ASSERT_TRUE(w.ok()) << path;
      EXPECT_EQ(w->path, "/etc/secret") << path;
    }
    EXPECT_EQ(walk_path(from(), "/sub/abs", true)->path, "");
    EXPECT_EQ(walk_path(from(), "/sub/abs", false)->path, "/sub/abs");
    EXPECT_EQ(walk_path(from(), "/etc/", true)->path, "/etc");
    // Not followed: the symlink itself.
    auto link = walk_path(from(), "abs", false);
    ASSERT_TRUE(link.ok());
    struct stat st;
    ASSERT_EQ(::fstat(link->fd.get(), &st), 0);
    EXPECT_TRUE(S_ISLNK(st.st_mode));
  });
}

TEST_F(PathWalkTest, WhereAMissingFileWouldBe) {
  on_thread([&] {
    ASSERT_TRUE(InRoot::enter(root.get()).ok());
    auto w = walk_path(from(), "/etc/missing", true);
    ASSERT_TRUE(w.ok()) << w.error().str();
    EXPECT_FALSE(w->fd);
    EXPECT_EQ(fd_path(w->parent.get()), "/etc");
    EXPECT_EQ(w->name, "missing");
    // Through a dangling symlink: where its target would be.
    auto d = walk_path(from(), "dangling", true);
    ASSERT_TRUE(d.ok()) << d.error().str();
    EXPECT_EQ(fd_path(d->parent.get()), "/etc");
    EXPECT_EQ(d->name, "new");
    for (auto [path, err] : {std::pair{"/nothere/x", ENOENT}, {"/etc/secret/x", ENOTDIR}, {"loop", ELOOP}, {"/etc/secret/", ENOTDIR}}) {
      auto e = walk_path(from(), path, true);
      ASSERT_FALSE(e.ok()) << path;
      EXPECT_EQ(e.error().code(), err) << path << ": " << e.error().str();
    }
  });
}

TEST_F(PathWalkTest, AnotherUsersSymlinkInAStickyDirectoryIsNotFollowed) {
  const std::string st = tmp.path() + "/sticky";
  ASSERT_EQ(::mkdir(st.c_str(), 0777), 0);
  ASSERT_EQ(::chmod(st.c_str(), 01777), 0);
  ASSERT_EQ(::symlink("/etc/secret", (st + "/theirs").c_str()), 0);
  ASSERT_EQ(::lchown((st + "/theirs").c_str(), 1000, 1000), 0);
  on_thread([&] {
    // The host's root: through /proc/self/root (this process's own), so that the walk, not
    // one openat2, follows the symlink.
    unique_fd host(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(InRoot::enter(host.get()).ok());
    WalkFrom f{AT_FDCWD, std::to_string(::getpid()), std::to_string(::getpid()), true, {}};
    auto w = walk_path(f, "/proc/self/root" + tmp.path() + "/sticky/theirs", true);
    ASSERT_FALSE(w.ok());
    EXPECT_EQ(w.error().code(), EACCES) << w.error().str();
    f.protected_symlinks = false;
    EXPECT_TRUE(walk_path(f, "/proc/self/root" + tmp.path() + "/sticky/theirs", true).ok());
    // Not followed, it is only looked at.
    f.protected_symlinks = true;
    EXPECT_TRUE(walk_path(f, "/proc/self/root" + tmp.path() + "/sticky/theirs", false).ok());
  });
}

// The host's root and /proc, with a child as "the process": /proc/self is the child's, and
// only its own magic links are followed.
TEST(PathWalk, ProcSelfIsTheProcesssOwn) {
  int pipefd[2];
  ASSERT_EQ(::pipe2(pipefd, O_CLOEXEC), 0);
  pid_t child = ::fork();
  if (child == 0) {
    ::close(pipefd[1]);
    ::prctl(PR_SET_NAME, "walk-child");
    char c;
    (void)!::read(pipefd[0], &c, 1);
    _exit(0);
  }
  ::close(pipefd[0]);
  on_thread([&] {
    unique_fd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(InRoot::enter(root.get()).ok());
    WalkFrom as_child{AT_FDCWD, std::to_string(child), std::to_string(child), true, {}};
    auto comm = walk_path(as_child, "/proc/self/comm", true);
    ASSERT_TRUE(comm.ok()) << comm.error().str();
    EXPECT_EQ(fd_path(comm->fd.get()), "/proc/" + std::to_string(child) + "/comm");
    auto task = walk_path(as_child, "/proc/thread-self/comm", true);
    ASSERT_TRUE(task.ok()) << task.error().str();
    EXPECT_EQ(fd_path(task->fd.get()), "/proc/" + std::to_string(child) + "/task/" + std::to_string(child) + "/comm");
    // Its own fd 0 (a magic link) is followed; another process's is not.
    auto own = walk_path(as_child, "/proc/self/fd/0", true);
    EXPECT_TRUE(own.ok()) << own.error().str();
    auto other = walk_path(as_child, "/proc/" + std::to_string(::getpid()) + "/fd/0", true);
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().code(), EACCES);
    auto mounts = walk_path(as_child, "/proc/mounts", true);
    ASSERT_TRUE(mounts.ok()) << mounts.error().str();
    EXPECT_EQ(fd_path(mounts->fd.get()), "/proc/" + std::to_string(child) + "/mounts");
  });
  ::close(pipefd[1]);
  ::waitpid(child, nullptr, 0);
}

TEST(ActAs, StatusFieldsAsNumbers) {
  const std::string status = "Name:\tsh\nNSpid:\t4711\t12\nSigBlk:\t0000000000010000\nGroups:\t\n";
  EXPECT_EQ(status_numbers(status, "NSpid"), (std::vector<uint64_t>{4711, 12}));
  EXPECT_EQ(status_numbers(status, "SigBlk", 16), (std::vector<uint64_t>{0x10000}));
  EXPECT_TRUE(status_numbers(status, "Groups").empty());
  EXPECT_TRUE(status_numbers(status, "NStgid").empty());
  EXPECT_TRUE(status_numbers(status, "Name").empty());
}

TEST(ActAs, AThreadTakesAProcesssIdentityAndGivesItBack) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  auto who = parse_identity("Name:\tx\nUmask:\t0077\nUid:\t1000\t1000\t1000\t1001\nGid:\t100\t100\t100\t101\n"
                            "Groups:\t5 6 \nCapEff:\t0000000000000000\n", true);
  ASSERT_TRUE(who.ok()) << who.error().str();
  EXPECT_EQ(who->fsuid, 1001u);
  EXPECT_EQ(who->fsgid, 101u);
  EXPECT_EQ(who->groups, (std::vector<uint32_t>{5, 6}));
  EXPECT_EQ(who->umask, 077u);
  // In a user namespace, its capabilities are the namespace's, taken only over mapped files.
  auto in_ns = parse_identity("Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nCapEff:\t00000000a80425fb\n", false);
  EXPECT_EQ(in_ns->capabilities, 0u);
  EXPECT_EQ(in_ns->userns_capabilities, 0xa80425fbu);
  internal::TempDir d;
  std::ofstream(d.path() + "/root-only") << "x";
  ASSERT_EQ(::chmod((d.path() + "/root-only").c_str(), 0600), 0);
  ASSERT_EQ(::chmod(d.path().c_str(), 0777), 0);
  // The calling thread's capabilities, as its status says.
  auto caps = [] {
    std::ifstream in("/proc/thread-self/status");
    std::string line;
    while (std::getline(in, line))
      if (line.rfind("CapEff:", 0) == 0) return line;
    return std::string();
  };
  on_thread([&] {
    ASSERT_EQ(::unshare(CLONE_FS), 0);
    const std::string before = caps();
    {
      auto as = ActingAs::take(*who);
      ASSERT_TRUE(as.ok()) << as.error().str();
      EXPECT_LT(::open((d.path() + "/root-only").c_str(), O_RDONLY | O_CLOEXEC), 0);
      EXPECT_EQ(errno, EACCES);
      int fd = ::open((d.path() + "/made").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
      ASSERT_GE(fd, 0);
      struct stat st;
      ASSERT_EQ(::fstat(fd, &st), 0);
      EXPECT_EQ(st.st_uid, 1001u);
      EXPECT_EQ(st.st_gid, 101u);
      EXPECT_EQ(st.st_mode & 0777, 0600u);
      ::close(fd);
    }
    int fd = ::open((d.path() + "/root-only").c_str(), O_RDONLY | O_CLOEXEC);
    EXPECT_GE(fd, 0) << "the thread's own identity is back";
    EXPECT_EQ(caps(), before);
    ::close(fd);
    // A user-namespaced process's capabilities, over a file its namespace maps or not.
    Identity in_userns = *who;
    in_userns.userns_capabilities = uint64_t(1) << CAP_DAC_OVERRIDE;
    {
      auto as = ActingAs::take(in_userns);
      ASSERT_TRUE(as.ok()) << as.error().str();
      ASSERT_TRUE(as->over(true).ok());
      fd = ::open((d.path() + "/root-only").c_str(), O_RDONLY | O_CLOEXEC);
      EXPECT_GE(fd, 0) << "mapped: CAP_DAC_OVERRIDE holds";
      ::close(fd);
      ASSERT_TRUE(as->over(false).ok());
      EXPECT_LT(::open((d.path() + "/root-only").c_str(), O_RDONLY | O_CLOEXEC), 0) << "not mapped: it does not";
    }
    EXPECT_EQ(caps(), before);
  });
}

}  // namespace
}  // namespace vigil::supervisor
