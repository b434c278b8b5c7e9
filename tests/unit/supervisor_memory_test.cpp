#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oci/parse.hpp"
#include "runtime/seccomp/load.hpp"
#include "runtime/supervisor/filter.hpp"
#include "runtime/supervisor/memory_rlimits.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil::supervisor {
namespace {

using nlohmann::json;

policy::MemoryPolicy action_limits(uint64_t max, uint64_t vm_max, policy::Action a = policy::Action::deny) {
  policy::MemoryPolicy m;
  m.max = max;
  m.vm_max = vm_max;
  m.action = a;
  return m;
}

TEST(MemoryRlimits, TheConfigsOwnLowerLimitsAreKept) {
  json process = {{"rlimits", {{{"type", "RLIMIT_NOFILE"}, {"soft", 1024}, {"hard", 1024}},
                               {{"type", "RLIMIT_DATA"}, {"soft", 1000}, {"hard", 1u << 30}}}}};
  apply_memory_rlimits(process, action_limits(64u << 20, 1u << 30));
  EXPECT_EQ(process["rlimits"], json::parse(R"([{"type": "RLIMIT_NOFILE", "soft": 1024, "hard": 1024},
      {"type": "RLIMIT_DATA", "soft": 1000, "hard": 67108864},
      {"type": "RLIMIT_AS", "soft": 1073741824, "hard": 1073741824}])"));
  json none = json::object();
  apply_memory_rlimits(none, action_limits(0, 4096));
  EXPECT_EQ(none["rlimits"], json::parse(R"([{"type": "RLIMIT_AS", "soft": 4096, "hard": 4096}])"));
  // warn and kill are the supervisor's: the kernel would only refuse.
  json warn = json::object();
  apply_memory_rlimits(warn, action_limits(4096, 4096, policy::Action::warn));
  EXPECT_FALSE(warn.contains("rlimits"));
}

oci::Spec spec_with(const char* caps, bool userns) {
  json raw = {{"ociVersion", "1.0.2"},
              {"root", {{"path", "rootfs"}}},
              {"process", {{"cwd", "/"}, {"args", {"true"}}, {"capabilities", {{"bounding", json::parse(caps)}}}}},
              {"linux", {{"namespaces", json::array()}}}};
  if (userns) {
    raw["linux"]["namespaces"].push_back({{"type", "user"}});
    raw["linux"]["uidMappings"] = raw["linux"]["gidMappings"] = json::parse(R"([{"containerID": 0, "hostID": 100000, "size": 65536}])");
  }
  auto spec = oci::parse_spec(raw.dump(), "config.json");
  EXPECT_TRUE(spec.ok()) << spec.error().what();
  return *spec;
}

TEST(MemoryRlimits, GuardedOnlyWhereAProcessCouldRaiseThem) {
  auto m = action_limits(64u << 20, 0);
  EXPECT_TRUE(may_raise_rlimits(spec_with(R"(["CAP_SYS_RESOURCE"])", false), m));
  EXPECT_FALSE(may_raise_rlimits(spec_with(R"(["CAP_KILL"])", false), m));
  // CAP_SYS_RESOURCE of a user namespace of its own raises no hard limit.
  EXPECT_FALSE(may_raise_rlimits(spec_with(R"(["CAP_SYS_RESOURCE"])", true), m));
  EXPECT_FALSE(may_raise_rlimits(spec_with(R"(["CAP_SYS_RESOURCE"])", false), action_limits(0, 0)));
}

TEST(MemoryRlimits, TheSupervisorSetsSoftLimitsOfRootOrWithCapSysResource) {
  oci::Spec other_user = spec_with("[]", false);
  other_user.process->user.uid = 1000;
  if (runtime_has_sys_resource()) {
    // It keeps CAP_SYS_RESOURCE: any process.
    EXPECT_TRUE(supervisor_sets_data_limit(other_user));
    EXPECT_TRUE(supervisor_sets_data_limit(spec_with("[]", true)));
  } else {
    // Only processes whose ids are its own (prlimit's rule), root's, outside a user namespace.
    EXPECT_TRUE(supervisor_sets_data_limit(spec_with("[]", false)));
    EXPECT_FALSE(supervisor_sets_data_limit(other_user));
    EXPECT_FALSE(supervisor_sets_data_limit(spec_with("[]", true)));
  }
}

TEST(MemoryRlimits, ASoftLimitIsSetUnderTheHardOneWhichStays) {
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = ::fork();
  if (child == 0) {
    rlimit hard{1ul << 40, 1ul << 40};
    char ok = ::setrlimit(RLIMIT_DATA, &hard) == 0;
    (void)!::write(ready[1], &ok, 1);
    ::pause();
    ::_exit(0);
  }
  ASSERT_GT(child, 0);
  ::close(ready[1]);
  char ok = 0;
  EXPECT_EQ(::read(ready[0], &ok, 1), 1);
  ::close(ready[0]);
  EXPECT_EQ(ok, 1);
  rlimit now{};
  EXPECT_TRUE(set_data_soft_limit(child, 64u << 20).ok());
  ASSERT_EQ(::prlimit(child, RLIMIT_DATA, nullptr, &now), 0);
  EXPECT_EQ(now.rlim_cur, 64u << 20);
  EXPECT_EQ(now.rlim_max, 1ul << 40);
  // Never above the hard limit.
  EXPECT_TRUE(set_data_soft_limit(child, 1ul << 50).ok());
  ASSERT_EQ(::prlimit(child, RLIMIT_DATA, nullptr, &now), 0);
  EXPECT_EQ(now.rlim_cur, 1ul << 40);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
}

// The filter's answers to setrlimit and prlimit64, in a child; its exit status is the first
// check that failed.
int rlimit_checks(bool guard) {
  internal::TempDir cache;
  auto program = notify_program(cache.path(), policy::ExecPolicy{}, {}, guard, 0);
  if (!program) return 99;
  pid_t pid = ::fork();
  if (pid == 0) {
    int rc = 0;
    rlimit cur{}, lower{};
    ::getrlimit(RLIMIT_AS, &cur);
    lower = {cur.rlim_cur == RLIM_INFINITY ? (1ul << 40) : cur.rlim_cur - 1, cur.rlim_max};
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || !seccomp::load_filter(*program)) rc = 90;
    auto refused = [&](long r) { return r < 0 && errno == EPERM; };
    if (!rc && guard != refused(::setrlimit(RLIMIT_AS, &lower))) rc = 1;
    if (!rc && guard != refused(::prlimit(0, RLIMIT_DATA, &cur, nullptr))) rc = 2;
    if (!rc && ::prlimit(0, RLIMIT_DATA, nullptr, &cur) < 0) rc = 3;  // reading is fine
    if (!rc && ::getrlimit(RLIMIT_NOFILE, &cur) == 0 && ::setrlimit(RLIMIT_NOFILE, &cur) < 0) rc = 4;
    ::syscall(SYS_exit_group, rc);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + status;
}

TEST(MemoryRlimits, TheFilterRefusesSettingThemWhenGuarded) {
  EXPECT_EQ(rlimit_checks(true), 0);
  EXPECT_EQ(rlimit_checks(false), 0);
}

#ifdef __x86_64__
// A 32-bit call from this process (int 0x80): its result, or 1000 when the kernel runs no
// 32-bit code (the child dies of SIGSEGV).
long i386_call(long nr, bool filtered) {
  internal::TempDir cache;
  MemoryWatch watch;
  watch.committed = true;
  auto program = notify_program(cache.path(), policy::ExecPolicy{}, watch, false, 0);
  if (!program) return 2000;
  int pipefd[2];
  if (::pipe(pipefd) < 0) return 2001;
  pid_t pid = ::fork();
  if (pid == 0) {
    // The listener is never read: only calls the filter does not notify may be made.
    if (filtered && (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || !seccomp::load_filter(*program))) ::_exit(90);
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(0) : "memory");
    (void)!::write(pipefd[1], &r, sizeof r);
    ::_exit(0);
  }
  ::close(pipefd[1]);
  long r = 1000;
  (void)!::read(pipefd[0], &r, sizeof r);
  ::close(pipefd[0]);
  ::waitpid(pid, nullptr, 0);
  return r;
}

TEST(SupervisorFilter, Old32BitMmapIsENOSYSItsArgumentsAreInMemory) {
  if (i386_call(20, false) == 1000) GTEST_SKIP() << "this kernel runs no 32-bit code (int 0x80)";
  EXPECT_EQ(i386_call(90, true), -ENOSYS);
  EXPECT_GT(i386_call(20, true), 0);  // getpid
}
#endif

}  // namespace
}  // namespace vigil::supervisor
