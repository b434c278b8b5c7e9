// linux.seccomp: parsing and validation, building with libseccomp, and the real thing:
// filters loaded in forked children, whose syscalls then get the profile's answers.
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <csignal>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/init/protocol.hpp"
#include "runtime/seccomp/features.hpp"
#include "runtime/seccomp/cache.hpp"
#include "runtime/seccomp/filter.hpp"
#include "runtime/seccomp/load.hpp"
#include "runtime/seccomp/profile.hpp"
#include "runtime/supervisor/respond.hpp"
#include "runtime/supervisor/tracee_memory.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil::seccomp {
namespace {

using nlohmann::json;

// ---- helpers -------------------------------------------------------------------------

Profile parsed(const std::string& text) {
  auto r = parse_profile(json::parse(text));
  EXPECT_TRUE(r.ok()) << r.error().str();
  return r.ok() ? std::move(r).value() : Profile{};
}

std::string error_of(const std::string& text) {
  auto r = parse_profile(json::parse(text));
  return r.ok() ? "(parsed)" : r.error().str();
}

Filter built(const std::string& text, std::vector<std::string>* debug = nullptr) {
  auto r = build_filter(parsed(text), debug);
  EXPECT_TRUE(r.ok()) << r.error().str();
  return r.ok() ? std::move(r).value() : Filter{};
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

size_t open_fd_count() {
  size_t n = 0;
  DIR* d = ::opendir("/proc/self/fd");
  while (d && ::readdir(d)) n++;
  if (d) ::closedir(d);
  return n;
}

// A forked child, killed and reaped if the test leaves before waiting for it.
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {}
  Child(Child&& o) noexcept : pid_(std::exchange(o.pid_, -1)) {}
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  pid_t pid() const { return pid_; }
  int wait() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_;
};

// Runs `body` in a child that exits with its result. By exit_group itself: even _exit is
// intercepted by AddressSanitizer, whose teardown makes syscalls a strict filter refuses.
template <class F>
Child spawn(F body) {
  pid_t pid = ::fork();
  if (pid == 0) ::syscall(SYS_exit_group, body());
  return Child(pid);
}

std::string describe(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status) == 0 ? "exit 0" : "failed check " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("killed by ") + sigabbrev_np(WTERMSIG(status));
  return "status " + std::to_string(status);
}

// In the child: no core file from a SIGSYS, no_new_privs as the init would set it, then
// the filter. 90+ means the setup failed.
int load_in_child(const Filter& f, bool nnp = true) {
  struct rlimit none = {0, 0};
  if (::setrlimit(RLIMIT_CORE, &none) < 0) return 90;
  if (nnp && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return 91;
  auto fd = load_filter(f.compiled());
  if (!fd) {
    std::string line = fd.error().str() + "\n";
    (void)!::write(2, line.data(), line.size());
    return 92;
  }
  return 0;
}

// Runs `checks` in a child under the filter built from `profile`; its status.
template <class F>
int status_under(const std::string& profile, F checks) {
  Filter f = built(profile);
  return spawn([&] {
           if (int rc = load_in_child(f)) return rc;
           return checks();
         })
      .wait();
}

// A syscall that ignores its arguments and cannot fail: seccomp still sees the six
// registers, so it shows exactly which argument comparisons matched.
long getppid_with(unsigned long a0, unsigned long a1 = 0) { return ::syscall(SYS_getppid, a0, a1); }
bool denied(long rc, int err) { return rc == -1 && errno == err; }

#define EXPECT_EXITED_0(status) EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << describe(status)

// ---- names ---------------------------------------------------------------------------

TEST(SeccompNames, RoundTrip) {
  for (Action a : all_actions()) EXPECT_EQ(action_from_name(name_of(a)), a);
  for (Op op : all_ops()) EXPECT_EQ(op_from_name(name_of(op)), op);
  for (Flag f : all_flags()) EXPECT_EQ(flag_from_name(name_of(f)), f);
  EXPECT_EQ(all_actions().size(), 9u);
  EXPECT_EQ(all_ops().size(), 7u);
  EXPECT_FALSE(action_from_name("SCMP_ACT_FOO"));
  EXPECT_TRUE(is_arch_name("SCMP_ARCH_PARISC64"));
  EXPECT_FALSE(is_arch_name("SCMP_ARCH_VAX"));
}

// ---- parsing -------------------------------------------------------------------------

TEST(SeccompProfile, ParsesEveryField) {
  Profile p = parsed(R"({
    "defaultAction": "SCMP_ACT_ERRNO",
    "defaultErrnoRet": 38,
    "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64"],
    "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC",
              "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", "SECCOMP_FILTER_FLAG_LOG"],
    "listenerPath": "/run/agent.sock",
    "listenerMetadata": "MKNOD=/dev/null",
    "syscalls": [
      {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
      {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
       "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"},
                {"index": 5, "value": 240, "valueTwo": 16, "op": "SCMP_CMP_MASKED_EQ"}]},
      {"names": ["ptrace"], "action": "SCMP_ACT_TRACE", "errnoRet": 7},
      {"names": ["openat"], "action": "SCMP_ACT_NOTIFY"},
      {"names": ["kill"], "action": "SCMP_ACT_KILL_PROCESS"},
      {"names": ["x"], "action": "SCMP_ACT_KILL"}, {"names": ["y"], "action": "SCMP_ACT_KILL_THREAD"},
      {"names": ["z"], "action": "SCMP_ACT_TRAP"}, {"names": ["w"], "action": "SCMP_ACT_LOG"}
    ]})");
  EXPECT_EQ(p.default_action, Action::errno_ret);
  EXPECT_EQ(p.default_errno_ret, 38u);
  EXPECT_EQ(p.default_errno_or_default(), 38u);
  EXPECT_EQ(p.architectures, (std::vector<std::string>{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32",
                                                        "SCMP_ARCH_AARCH64"}));
  ASSERT_TRUE(p.flags);
  EXPECT_EQ(*p.flags, (std::vector<Flag>{Flag::log, Flag::spec_allow, Flag::tsync, Flag::wait_killable_recv}));
  EXPECT_TRUE(p.has_flag(Flag::tsync));
  EXPECT_EQ(p.listener_path, "/run/agent.sock");
  EXPECT_EQ(p.listener_metadata, "MKNOD=/dev/null");
  ASSERT_EQ(p.syscalls.size(), 10u);
  EXPECT_EQ(p.syscalls[0].names, (std::vector<std::string>{"read", "write"}));
  EXPECT_EQ(p.syscalls[0].action, Action::allow);
  EXPECT_FALSE(p.syscalls[0].errno_ret);
  EXPECT_EQ(p.syscalls[1].errno_or_default(), 13u);
  const auto& args = p.syscalls[2].args;
  ASSERT_EQ(args.size(), 2u);
  EXPECT_EQ(args[0].index, 0u);
  EXPECT_EQ(args[0].value, 0xffffffffu);
  EXPECT_EQ(args[0].value_two, 0u);
  EXPECT_EQ(args[0].op, Op::eq);
  EXPECT_EQ(args[1].index, 5u);
  EXPECT_EQ(args[1].value, 240u);
  EXPECT_EQ(args[1].value_two, 16u);
  EXPECT_EQ(args[1].op, Op::masked_eq);
  EXPECT_EQ(p.syscalls[3].action, Action::trace);
  EXPECT_EQ(p.syscalls[3].errno_or_default(), 7u);
  EXPECT_EQ(p.syscalls[4].action, Action::notify);
  EXPECT_EQ(p.syscalls[5].action, Action::kill_process);
  EXPECT_EQ(p.syscalls[6].action, Action::kill);
  EXPECT_EQ(p.syscalls[7].action, Action::kill_thread);
  EXPECT_EQ(p.syscalls[8].action, Action::trap);
  EXPECT_EQ(p.syscalls[9].action, Action::log);
  EXPECT_TRUE(p.has_notify());
}

TEST(SeccompProfile, DefaultsWhenFieldsAreAbsent) {
  Profile p = parsed(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]})");
  EXPECT_EQ(p.default_errno_or_default(), uint32_t(EPERM));
  EXPECT_EQ(p.syscalls[0].errno_or_default(), uint32_t(EPERM));
  EXPECT_TRUE(p.architectures.empty());
  EXPECT_FALSE(p.flags);  // absent: SPEC_ALLOW by default, as runc and crun do
  EXPECT_FALSE(p.has_notify());
  EXPECT_TRUE(p.listener_path.empty());
  Profile empty_flags = parsed(R"({"defaultAction": "SCMP_ACT_ALLOW", "flags": []})");
  ASSERT_TRUE(empty_flags.flags);
  EXPECT_TRUE(empty_flags.flags->empty());
}

TEST(SeccompProfile, RequestedLikeRunc) {
  EXPECT_FALSE(profile_requested(json()));
  EXPECT_FALSE(profile_requested(json::parse("{}")));
  EXPECT_FALSE(profile_requested(json::parse(R"({"defaultAction": "", "syscalls": []})")));
  EXPECT_FALSE(profile_requested(json::parse(R"({"flags": ["SECCOMP_FILTER_FLAG_LOG"]})")));
  EXPECT_TRUE(profile_requested(json::parse(R"({"defaultAction": "SCMP_ACT_ALLOW"})")));
  EXPECT_TRUE(profile_requested(json::parse(R"({"syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]})")));
  EXPECT_TRUE(profile_requested(json::parse("[]")));  // wrong, and parse_profile says so
}

TEST(SeccompProfile, EachValidationErrorNamesItsPath) {
  const std::pair<std::string, std::string> cases[] = {
      {R"([])", "config.json: linux.seccomp must be an object"},
      {R"({})", "config.json: linux.seccomp.defaultAction is required"},
      {R"({"defaultAction": 1})", "config.json: linux.seccomp.defaultAction must be a string"},
      {R"({"defaultAction": "SCMP_ACT_FOO"})", R"(config.json: linux.seccomp.defaultAction: unknown action "SCMP_ACT_FOO")"},
      {R"({"defaultAction": "SCMP_ACT_KILL", "defaultErrnoRet": 1})",
       "config.json: linux.seccomp.defaultErrnoRet: SCMP_ACT_KILL takes no errno (only SCMP_ACT_ERRNO and "
       "SCMP_ACT_TRACE do)"},
      {R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": -1})",
       "config.json: linux.seccomp.defaultErrnoRet must be an unsigned 32-bit integer"},
      {R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 65536})",
       "config.json: linux.seccomp.defaultErrnoRet must be at most 65535 (got 65536)"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_VAX"]})",
       R"(config.json: linux.seccomp.architectures[1]: unknown architecture "SCMP_ARCH_VAX")"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_NEW_LISTENER"]})",
       R"(config.json: linux.seccomp.flags[1]: unknown flag "SECCOMP_FILTER_FLAG_NEW_LISTENER")"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "flags": "SECCOMP_FILTER_FLAG_LOG"})",
       "config.json: linux.seccomp.flags must be an array of strings"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "agent.sock"})",
       R"(config.json: linux.seccomp.listenerPath must be an absolute path (got "agent.sock"))"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "listenerMetadata": "x"})",
       "config.json: linux.seccomp.listenerMetadata must not be set without listenerPath"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getcwd"], "action": "SCMP_ACT_NOTIFY"}]})",
       "config.json: linux.seccomp.listenerPath is required when an action is SCMP_ACT_NOTIFY"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": {}})", "config.json: linux.seccomp.syscalls must be an array"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
          {"names": ["a"], "action": "SCMP_ACT_ALLOW"}, {"names": ["b"], "action": "SCMP_ACT_ALLOW"},
          {"names": ["c"], "action": "SCMP_ACT_ALLOW"}, {"names": ["d"], "action": "SCMP_ACT_FOO"}]})",
       R"(config.json: linux.seccomp.syscalls[3].action: unknown action "SCMP_ACT_FOO")"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"]}]})",
       "config.json: linux.seccomp.syscalls[0].action is required"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"action": "SCMP_ACT_ERRNO"}]})",
       "config.json: linux.seccomp.syscalls[0].names is required"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [], "action": "SCMP_ACT_ERRNO"}]})",
       "config.json: linux.seccomp.syscalls[0].names must name at least one syscall"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a", ""], "action": "SCMP_ACT_ERRNO"}]})",
       "config.json: linux.seccomp.syscalls[0].names[1] must not be empty"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_LOG", "errnoRet": 1}]})",
       "config.json: linux.seccomp.syscalls[0].errnoRet: SCMP_ACT_LOG takes no errno (only SCMP_ACT_ERRNO and "
       "SCMP_ACT_TRACE do)"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ERRNO",
          "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]})",
       "config.json: linux.seccomp.syscalls[0].args[0].index must be 0..5 (got 6)"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ERRNO",
          "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 1, "op": "SCMP_CMP_LIKE"}]}]})",
       R"(config.json: linux.seccomp.syscalls[0].args[1].op: unknown operator "SCMP_CMP_LIKE")"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ERRNO",
          "args": [{"value": 1, "op": "SCMP_CMP_EQ"}]}]})",
       "config.json: linux.seccomp.syscalls[0].args[0].index is required"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ERRNO",
          "args": [{"index": 0, "op": "SCMP_CMP_EQ"}]}]})",
       "config.json: linux.seccomp.syscalls[0].args[0].value is required"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ERRNO",
          "args": [{"index": 0, "value": -1, "op": "SCMP_CMP_EQ"}]}]})",
       "config.json: linux.seccomp.syscalls[0].args[0].value must be an unsigned 64-bit integer"},
      // The listener hand-off (runc refuses write; vigil's channel is sendmsg).
      {R"({"defaultAction": "SCMP_ACT_NOTIFY", "listenerPath": "/run/a.sock"})",
       "config.json: linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action: it would block "
       "the listener hand-off"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/a.sock", "syscalls": [
          {"names": ["read"], "action": "SCMP_ACT_NOTIFY"}, {"names": ["close", "write"], "action": "SCMP_ACT_NOTIFY"}]})",
       "config.json: linux.seccomp.syscalls[1].names[1]: SCMP_ACT_NOTIFY on write would block the listener hand-off"},
      {R"({"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/a.sock", "syscalls": [
          {"names": ["sendmsg"], "action": "SCMP_ACT_NOTIFY"}]})",
       "config.json: linux.seccomp.syscalls[0].names[0]: SCMP_ACT_NOTIFY on sendmsg would block the listener "
       "hand-off"},
  };
  for (const auto& [text, message] : cases) EXPECT_EQ(error_of(text), message) << text;
}

TEST(SeccompProfile, ErrorsNameTheFileGiven) {
  auto r = parse_profile(json::parse(R"({"defaultAction": "SCMP_ACT_NO"})"), "/b/config.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().str(), R"(/b/config.json: linux.seccomp.defaultAction: unknown action "SCMP_ACT_NO")");
}

TEST(SeccompProfile, HandOffCheckForProfilesBuiltInCode) {
  Profile p;
  p.listener_path = "/run/a.sock";
  p.syscalls.push_back(Rule{{"getcwd"}, Action::notify, std::nullopt, {}});
  EXPECT_TRUE(check_listener_hand_off(p).ok());
  p.syscalls.push_back(Rule{{"write"}, Action::errno_ret, std::nullopt, {}});  // not a notification: fine
  EXPECT_TRUE(check_listener_hand_off(p).ok());
  p.syscalls.push_back(Rule{{"sendmsg"}, Action::notify, std::nullopt, {}});
  auto st = check_listener_hand_off(p);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().str(),
            "linux.seccomp.syscalls[2].names[0]: SCMP_ACT_NOTIFY on sendmsg would block the listener hand-off");
  EXPECT_TRUE(std::find(hand_off_syscalls().begin(), hand_off_syscalls().end(), "write") != hand_off_syscalls().end());
}

// ---- building ------------------------------------------------------------------------

TEST(SeccompFilter, UnknownSyscallIsSkippedWithADebugLine) {
  std::vector<std::string> debug;
  Filter f = built(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
      {"names": ["vigil_no_such_syscall", "getcwd"], "action": "SCMP_ACT_ERRNO"}]})",
                   &debug);
  EXPECT_TRUE(contains(debug, "seccomp: syscall vigil_no_such_syscall unknown, skipped"));
  EXPECT_FALSE(f.program().empty());
  auto pfc = export_pfc(f);
  ASSERT_TRUE(pfc.ok()) << pfc.error().str();
  EXPECT_NE(pfc->find("getcwd"), std::string::npos) << *pfc;
}

TEST(SeccompFilter, RuleWithTheDefaultActionIsSkipped) {
  std::vector<std::string> debug;
  Filter f = built(R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38, "syscalls": [
      {"names": ["getcwd"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
      {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]})",
                   &debug);
  EXPECT_TRUE(contains(debug, "seccomp: syscalls[0] has the default action SCMP_ACT_ERRNO, skipped"));
  // Same action, another errno: a rule of its own.
  EXPECT_FALSE(contains(debug, "seccomp: syscalls[1] has the default action SCMP_ACT_ERRNO, skipped"));
}

TEST(SeccompFilter, FlagsBecomeSeccompFlags) {
  Filter none = built(R"({"defaultAction": "SCMP_ACT_ALLOW", "flags": []})");
  EXPECT_EQ(none.seccomp_flags(), 0u);
  EXPECT_FALSE(none.has_listener());
  // No "flags" at all: SPEC_ALLOW, as runc and crun do (this kernel has it).
  Filter absent = built(R"({"defaultAction": "SCMP_ACT_ALLOW"})");
  EXPECT_EQ(absent.seccomp_flags(), unsigned(SECCOMP_FILTER_FLAG_SPEC_ALLOW));
  Filter all = built(R"({"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/a.sock",
      "flags": ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
      "syscalls": [{"names": ["getcwd"], "action": "SCMP_ACT_NOTIFY"}]})");
  EXPECT_EQ(all.seccomp_flags(), unsigned(SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG |
                                          SECCOMP_FILTER_FLAG_NEW_LISTENER));
  EXPECT_TRUE(all.wait_killable_recv());
  EXPECT_TRUE(all.has_listener());
}

TEST(SeccompFilter, ArchitecturesAreResolved) {
  EXPECT_TRUE(arch_token("SCMP_ARCH_X86_64"));
  EXPECT_EQ(arch_token("SCMP_ARCH_X86_64"), SCMP_ARCH_X86_64);
  EXPECT_EQ(arch_token("SCMP_ARCH_X32"), SCMP_ARCH_X32);
  EXPECT_FALSE(arch_token("SCMP_ARCH_VAX"));
  Filter f = built(R"({"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
      "syscalls": [{"names": ["socketcall"], "action": "SCMP_ACT_ERRNO"}]})");
  EXPECT_EQ(seccomp_arch_exist(f.ctx(), SCMP_ARCH_X86), 0);
  EXPECT_EQ(seccomp_arch_exist(f.ctx(), SCMP_ARCH_X86_64), 0);
  EXPECT_EQ(seccomp_arch_exist(f.ctx(), SCMP_ARCH_AARCH64), -EEXIST);
}

TEST(SeccompFilter, BuildingLeaksNoFd) {
  size_t before = open_fd_count();
  for (int i = 0; i < 3; i++) built(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]})");
  EXPECT_EQ(open_fd_count(), before);
}

// The shape of podman's default profile (containers/common seccomp.json): ENOSYS by
// default, three x86 architectures, a long allow list, personality and clone by argument.
const char* kPodmanLike = R"({
  "defaultAction": "SCMP_ACT_ERRNO",
  "defaultErrnoRet": 38,
  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
  "syscalls": [
    {"names": ["accept", "accept4", "access", "arch_prctl", "bind", "brk", "capget", "capset", "chdir", "chmod",
               "chown", "clock_gettime", "clock_nanosleep", "close", "close_range", "connect", "dup", "dup2", "dup3",
               "epoll_create1", "epoll_ctl", "epoll_pwait", "epoll_wait", "eventfd2", "execve", "execveat", "exit",
               "exit_group", "faccessat", "faccessat2", "fadvise64", "fchdir", "fchmod", "fchmodat", "fchown",
               "fcntl", "fdatasync", "flock", "fstat", "fstatfs", "fsync", "ftruncate", "futex", "getcwd",
               "getdents64", "getegid", "geteuid", "getgid", "getgroups", "getpgrp", "getpid", "getppid",
               "getrandom", "getresgid", "getresuid", "getrlimit", "getsockname", "getsockopt", "gettid",
               "gettimeofday", "getuid", "ioctl", "kill", "lseek", "lstat", "madvise", "membarrier", "memfd_create",
               "mkdir", "mkdirat", "mmap", "mprotect", "mremap", "munmap", "nanosleep", "newfstatat", "open",
               "openat", "openat2", "pipe", "pipe2", "poll", "ppoll", "prctl", "pread64", "prlimit64", "pwrite64",
               "read", "readlink", "readlinkat", "readv", "recvfrom", "recvmsg", "rename", "renameat2",
               "rmdir", "rseq", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sched_getaffinity",
               "sched_yield", "select", "sendmsg", "sendto", "set_robust_list", "set_tid_address", "setgid",
               "setgroups", "setitimer", "setrlimit", "setsid", "setuid", "sigaltstack", "socket", "socketcall",
               "socketpair", "stat", "statfs", "statx", "symlink", "symlinkat", "sysinfo", "tgkill", "umask",
               "uname", "unlink", "unlinkat", "utimensat", "vfork", "wait4", "waitid", "write", "writev",
               "vigil_syscall_of_the_future"],
     "action": "SCMP_ACT_ALLOW"},
    {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}]},
    {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]},
    {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
     "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"}]},
    {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
     "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
    {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
    {"names": ["bpf", "kexec_load", "mount", "umount2", "unshare", "setns", "reboot"], "action": "SCMP_ACT_ERRNO",
     "errnoRet": 1}
  ]
})";

TEST(SeccompFilter, PodmanLikeProfileBuilds) {
  std::vector<std::string> debug;
  Filter f = built(kPodmanLike, &debug);
  EXPECT_TRUE(contains(debug, "seccomp: syscall vigil_syscall_of_the_future unknown, skipped"));
  EXPECT_GT(f.program().size(), 100u);
  EXPECT_EQ(f.seccomp_flags(), unsigned(SECCOMP_FILTER_FLAG_SPEC_ALLOW));
  EXPECT_FALSE(f.has_listener());
}

// ---- loading: the real behaviour -----------------------------------------------------

TEST(SeccompLoad, PodmanLikeProfileAnswersAsConfigured) {
  int status = status_under(kPodmanLike, [] {
    if (::getpid() <= 0) return 1;
    if (!denied(::unshare(CLONE_NEWUTS), EPERM)) return 2;              // explicit ERRNO 1
    if (!denied(::syscall(SYS_clone3, nullptr, 0), ENOSYS)) return 3;    // explicit ERRNO 38
    if (!denied(::syscall(SYS_kcmp, 0, 0, 0, 0, 0), ENOSYS)) return 4;  // not listed: the default
    if (::personality(0xffffffff) < 0) return 5;                         // allowed by its argument
    if (!denied(::personality(ADDR_NO_RANDOMIZE), ENOSYS)) return 6;     // other values: the default
    // clone without namespace flags (fork) passes the masked comparison.
    pid_t pid = ::fork();
    if (pid == 0) _exit(7);
    int st = 0;
    if (pid < 0 || ::waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 7) return 7;
    // clone with one passes nothing: the default.
    if (!denied(::syscall(SYS_clone, CLONE_NEWNET | SIGCHLD, nullptr, nullptr, nullptr, 0), ENOSYS)) return 8;
    return 0;
  });
  EXPECT_EXITED_0(status);
}

// An allow-list of its day: the largest x86_64 number it names is pwritev2's, 328.
constexpr const char* kOldProfile = R"({"defaultAction": "SCMP_ACT_ERRNO",
    "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [
    {"names": ["exit", "exit_group", "getpid", "getppid", "read", "write", "rt_sigreturn", "pwritev2"],
     "action": "SCMP_ACT_ALLOW"}%s]})";

std::string old_profile(const std::string& extra_rules = "") {
  std::string text = kOldProfile;
  return text.replace(text.find("%s"), 2, extra_rules);
}

TEST(SeccompEnosys, CallsAboveTheProfilesLastGetEnosysOlderOnesTheDefault) {
  std::vector<std::string> debug;
  built(old_profile(), &debug);
  EXPECT_TRUE(contains(debug, "seccomp: calls above 328 get ENOSYS on SCMP_ARCH_X86_64")) << ::testing::PrintToString(debug);
  int status = status_under(old_profile(), [] {
    if (::syscall(SYS_getpid) <= 0) return 1;
    if (!denied(::syscall(SYS_clone3, nullptr, 0), ENOSYS)) return 2;
    if (!denied(::syscall(SYS_faccessat2, AT_FDCWD, "/", R_OK, 0), ENOSYS)) return 3;
    if (!denied(::syscall(SYS_close_range, 100, 200, 0), ENOSYS)) return 4;
    if (!denied(::syscall(SYS_chroot, "/"), EPERM)) return 5;  // unlisted but older: the default
    if (!denied(::syscall(SYS_statx, AT_FDCWD, "/", 0, 0, nullptr), ENOSYS)) return 6;
    return 0;
  });
  EXPECT_EXITED_0(status);
}

TEST(SeccompEnosys, EveryNameRaisesTheThresholdWhateverItsAction) {
  // clone3 (435) refused outright: it keeps its errno, and only calls above it get ENOSYS.
  int status = status_under(old_profile(R"(, {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1})"), [] {
    if (!denied(::syscall(SYS_clone3, nullptr, 0), EPERM)) return 1;
    if (!denied(::syscall(SYS_close_range, 100, 200, 0), ENOSYS)) return 2;
    if (!denied(::syscall(SYS_statx, AT_FDCWD, "/", 0, 0, nullptr), EPERM)) return 3;
    return 0;
  });
  EXPECT_EXITED_0(status);
}

TEST(SeccompEnosys, NoStubWhereRuncMakesNone) {
  const char* permissive[] = {
      R"({"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
          "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]})",
      R"({"defaultAction": "SCMP_ACT_LOG", "architectures": ["SCMP_ARCH_X86_64"],
          "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]})",
      R"({"defaultAction": "SCMP_ACT_TRACE", "architectures": ["SCMP_ARCH_X86_64"],
          "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ALLOW"}]})",
      R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38, "architectures": ["SCMP_ARCH_X86_64"],
          "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ALLOW"}]})",
      // No architectures listed: runc makes a stub for the listed ones only.
      R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ALLOW"}]})",
  };
  for (const char* text : permissive) {
    std::vector<std::string> debug;
    built(text, &debug);
    for (const auto& line : debug) EXPECT_EQ(line.find("get ENOSYS"), std::string::npos) << text;
  }
  int status = status_under(
      R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["exit_group", "getpid"], "action": "SCMP_ACT_ALLOW"}]})",
      [] { return denied(::syscall(SYS_clone3, nullptr, 0), EPERM) ? 0 : 1; });
  EXPECT_EXITED_0(status);
}

TEST(SeccompEnosys, KillDefaultGetsTheStubToo) {
  int status = status_under(R"({"defaultAction": "SCMP_ACT_KILL_PROCESS",
      "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [
      {"names": ["exit", "exit_group", "getpid", "pwritev2"], "action": "SCMP_ACT_ALLOW"}]})",
                            [] { return denied(::syscall(SYS_clone3, nullptr, 0), ENOSYS) ? 0 : 1; });
  EXPECT_EXITED_0(status);
}

TEST(SeccompLoad, DeniedSyscallReturnsTheConfiguredErrno) {
  std::string dir = "/tmp/vigil-seccomp-test-" + std::to_string(::getpid());
  int status = status_under(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
      {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"},
      {"names": ["getcwd"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]})",
                            [&] {
                              if (!denied(::mkdir(dir.c_str(), 0700), EPERM)) return 1;
                              char buf[256];
                              if (::getcwd(buf, sizeof buf) != nullptr || errno != 38) return 2;
                              if (::getppid() <= 0) return 3;  // allowed: the default
                              int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
                              if (fd < 0 || ::close(fd) < 0) return 4;
                              return 0;
                            });
  EXPECT_EXITED_0(status);
  struct stat st;
  EXPECT_NE(::stat(dir.c_str(), &st), 0);
}

TEST(SeccompLoad, DefaultErrnoRetIsTheDefaultActionsErrno) {
  int status = status_under(R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 95, "syscalls": [
      {"names": ["exit", "exit_group", "getpid"], "action": "SCMP_ACT_ALLOW"}]})",
                            [] {
                              if (!denied(::syscall(SYS_getppid), 95)) return 1;
                              if (::syscall(SYS_getpid) <= 0) return 2;
                              return 0;
                            });
  EXPECT_EXITED_0(status);
}

TEST(SeccompLoad, ArgumentComparisonDecides) {
  // personality(0xffffffff) only queries, so it is allowed; any other value is refused.
  int status = status_under(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
      {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
       "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_NE"}]}]})",
                            [] {
                              if (::personality(0xffffffff) < 0) return 1;
                              if (!denied(::personality(PER_LINUX), EACCES)) return 2;
                              if (!denied(::personality(ADDR_NO_RANDOMIZE), EACCES)) return 3;
                              return 0;
                            });
  EXPECT_EXITED_0(status);
}

TEST(SeccompLoad, MaskedEqualCompares) {
  int status = status_under(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
      {"names": ["getppid"], "action": "SCMP_ACT_ERRNO",
       "args": [{"index": 0, "value": 240, "valueTwo": 16, "op": "SCMP_CMP_MASKED_EQ"}]}]})",
                            [] {
                              if (!denied(getppid_with(0x13), EPERM)) return 1;
                              if (!denied(getppid_with(0x11f), EPERM)) return 2;
                              if (getppid_with(0x23) <= 0) return 3;
                              if (getppid_with(0x0f) <= 0) return 4;
                              return 0;
                            });
  EXPECT_EXITED_0(status);
}

TEST(SeccompLoad, ComparisonsOnDistinctArgumentsAreAnded) {
  int status = status_under(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
      {"names": ["getppid"], "action": "SCMP_ACT_ERRNO",
       "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 2, "op": "SCMP_CMP_EQ"}]}]})",
                            [] {
                              if (!denied(getppid_with(1, 2), EPERM)) return 1;
                              if (getppid_with(1, 3) <= 0) return 2;
                              if (getppid_with(0, 2) <= 0) return 3;
                              return 0;
                            });
  EXPECT_EXITED_0(status);
}

TEST(SeccompLoad, RepeatedArgumentIndexOrsEveryComparisonLikeRunc) {
  int status = status_under(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
      {"names": ["getppid"], "action": "SCMP_ACT_ERRNO",
       "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 2, "op": "SCMP_CMP_EQ"},
                {"index": 1, "value": 7, "op": "SCMP_CMP_EQ"}]}]})",
                            [] {
                              if (!denied(getppid_with(1), EPERM)) return 1;
                              if (!denied(getppid_with(2), EPERM)) return 2;
                              if (!denied(getppid_with(0, 7), EPERM)) return 3;  // OR, even for index 1
                              if (getppid_with(3, 3) <= 0) return 4;
                              return 0;
                            });
  EXPECT_EXITED_0(status);
}

TEST(SeccompLoad, LogAllows) {
  int status = status_under(R"({"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LOG"],
      "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_LOG"}]})",
                            [] { return getppid_with(0) > 0 ? 0 : 1; });
  EXPECT_EXITED_0(status);
}

TEST(SeccompLoad, KillProcessKillsWithSigsys) {
  int status = status_under(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
      {"names": ["getppid"], "action": "SCMP_ACT_KILL_PROCESS"}]})",
                            [] {
                              getppid_with(0);
                              return 1;  // not reached
                            });
  ASSERT_TRUE(WIFSIGNALED(status)) << describe(status);
  EXPECT_EQ(WTERMSIG(status), SIGSYS);
}

TEST(SeccompLoad, NoListenerWithoutNotify) {
  Filter f = built(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]})");
  int status = spawn([&] {
                 if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return 90;
                 auto fd = load_filter(f.compiled());
                 if (!fd) return 1;
                 return fd->get() == -1 ? 0 : 2;
               }).wait();
  EXPECT_EXITED_0(status);
}

// The kernel takes a filter from a task with no_new_privs or with CAP_SYS_ADMIN; the
// ordering is the caller's, and load_filter() says which is missing.
TEST(SeccompLoad, NeedsNoNewPrivsOrCapSysAdmin) {
  Filter f = built(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]})");
  // Root here has CAP_SYS_ADMIN: no no_new_privs needed.
  int with_cap = spawn([&] { return load_in_child(f, /*nnp=*/false); }).wait();
  EXPECT_EXITED_0(with_cap);
  int without = spawn([&] {
                  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
                  __user_cap_data_struct none[2] = {};
                  if (::syscall(SYS_capset, &hdr, none) < 0) return 90;
                  auto fd = load_filter(f.compiled());
                  if (fd) return 1;
                  if (fd.error().code() != EACCES) return 2;
                  if (fd.error().what().find("no_new_privs or CAP_SYS_ADMIN") == std::string::npos) return 3;
                  return 0;
                }).wait();
  EXPECT_EXITED_0(without);
}

// The child loads a filter that notifies on getppid, hands the listener to the parent over
// the init protocol (SCM_RIGHTS), then calls getppid; the parent answers with an errno.
void answer_one_notification(const std::string& profile) {
  size_t fds_before = open_fd_count();
  Filter f = built(profile);
  ASSERT_TRUE(f.has_listener());
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  unique_fd parent_end(sv[0]), child_end(sv[1]);
  Child child = spawn([&] {
    parent_end.reset();
    struct rlimit none = {0, 0};
    ::setrlimit(RLIMIT_CORE, &none);
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return 90;
    auto listener = load_filter(f.compiled());
    if (!listener) return 91;
    if (!*listener) return 92;
    int fds[] = {listener->get()};
    if (!send_message(child_end.get(), MsgType::log, 0, "listener", fds).ok()) return 93;
    listener->reset();  // only the agent holds it now
    long rc = getppid_with(42);
    return rc == -1 && errno == EHOSTDOWN ? 0 : 1;
  });
  child_end.reset();

  auto msg = recv_message(parent_end.get());
  ASSERT_TRUE(msg.ok()) << msg.error().str() << "; child: " << describe(child.wait());
  ASSERT_EQ(msg->fds.size(), 1u);
  int listener = msg->fds[0].get();
  pollfd pfd{listener, POLLIN, 0};
  ASSERT_EQ(::poll(&pfd, 1, 10000), 1) << "no notification within 10 s";
  ASSERT_TRUE(pfd.revents & POLLIN);
  seccomp_notif req;
  std::memset(&req, 0, sizeof req);  // the kernel wants it zeroed
  ASSERT_EQ(::ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req), 0) << std::strerror(errno);
  EXPECT_EQ(req.pid, uint32_t(child.pid()));
  EXPECT_EQ(req.data.nr, SYS_getppid);
  EXPECT_EQ(req.data.args[0], 42u);
  seccomp_notif_resp resp;
  std::memset(&resp, 0, sizeof resp);
  resp.id = req.id;
  resp.error = -EHOSTDOWN;
  ASSERT_EQ(::ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp), 0) << std::strerror(errno);
  int status = child.wait();
  EXPECT_EXITED_0(status);
  msg->fds.clear();
  parent_end.reset();
  EXPECT_EQ(open_fd_count(), fds_before);
}

// A child under the getppid-notifying filter, its listener handed to us: `body` runs in it
// after the hand-off. Returns the child and the listener.
const char kNotifyGetppid[] = R"({"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock",
    "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_NOTIFY"}]})";

template <class F>
std::pair<Child, unique_fd> spawn_notifying(F body) {
  Filter f = built(kNotifyGetppid);
  int sv[2];
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  unique_fd parent_end(sv[0]), child_end(sv[1]);
  Child child = spawn([&] {
    parent_end.reset();
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return 90;
    auto listener = load_filter(f.compiled());
    if (!listener || !*listener) return 91;
    int fds[] = {listener->get()};
    if (!send_message(child_end.get(), MsgType::log, 0, "listener", fds).ok()) return 93;
    listener->reset();
    return body();
  });
  child_end.reset();
  auto msg = recv_message(parent_end.get());
  EXPECT_TRUE(msg.ok() && msg->fds.size() == 1);
  unique_fd listener;
  if (msg && msg->fds.size() == 1) listener = std::move(msg->fds[0]);
  return {std::move(child), std::move(listener)};
}

// The supervisor's read of a notified process's memory: the string its syscall points at,
// and nothing once the notification is answered.
TEST(SupervisorMemory, ReadsTheStringOfAPendingNotificationOnly) {
  static const char kPath[] = "/a/path/across/the/notification";
  auto [child, listener_fd] = spawn_notifying([] {
    long rc = ::syscall(SYS_getppid, reinterpret_cast<long>(kPath));
    return rc == -1 && errno == EHOSTDOWN ? 0 : 1;
  });
  int listener = listener_fd.get();
  ASSERT_GE(listener, 0);
  seccomp_notif req;
  std::memset(&req, 0, sizeof req);
  ASSERT_EQ(::ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req), 0) << std::strerror(errno);
  auto path = supervisor::read_string(listener, req.id, pid_t(req.pid), req.data.args[0]);
  ASSERT_TRUE(path.ok()) << path.error().str();
  EXPECT_EQ(*path, kPath);
  auto short_read = supervisor::read_string(listener, req.id, pid_t(req.pid), req.data.args[0], 4);
  EXPECT_EQ(short_read.error().code(), ENAMETOOLONG);
  seccomp_notif_resp resp;
  std::memset(&resp, 0, sizeof resp);
  resp.id = req.id;
  resp.error = -EHOSTDOWN;
  ASSERT_EQ(::ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp), 0);
  EXPECT_EXITED_0(child.wait());
  EXPECT_FALSE(supervisor::notification_valid(listener, req.id));
  EXPECT_FALSE(supervisor::read_string(listener, req.id, pid_t(req.pid), req.data.args[0]).ok());
}

// The supervisor's four answers, each seen by the process that asked.
TEST(SupervisorRespond, ValueErrnoFdAndContinue) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
  unique_fd r(pipe_fds[0]), w(pipe_fds[1]);
  pid_t parent = ::getpid();
  auto [child, listener_fd] = spawn_notifying([&] {
    w.reset();
    r.reset();
    if (getppid_with(1) != 4242) return 1;
    if (getppid_with(2) != -1 || errno != EHOSTDOWN) return 2;
    long fd = getppid_with(3);  // an fd of the parent's pipe, installed here
    if (fd < 0 || ::write(int(fd), "!", 1) != 1) return 3;
    if (getppid_with(4) != parent) return 4;  // continued: the real getppid
    return 0;
  });
  int listener = listener_fd.get();
  ASSERT_GE(listener, 0);
  for (int i = 1; i <= 4; i++) {
    seccomp_notif req;
    std::memset(&req, 0, sizeof req);
    ASSERT_EQ(::ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req), 0) << std::strerror(errno);
    ASSERT_EQ(req.data.args[0], uint64_t(i));
    Status st = i == 1   ? supervisor::respond_value(listener, req.id, 4242)
                : i == 2 ? supervisor::respond_errno(listener, req.id, EHOSTDOWN)
                : i == 3 ? supervisor::respond_fd(listener, req.id, w.get(), true)
                         : supervisor::respond_continue(listener, req.id);
    ASSERT_TRUE(st.ok()) << st.error().str();
  }
  EXPECT_EXITED_0(child.wait());
  w.reset();
  char c = 0;
  EXPECT_EQ(::read(r.get(), &c, 1), 1);
  EXPECT_EQ(c, '!');
}

TEST(SeccompLoad, NotifyHandsTheListenerToTheParent) {
  answer_one_notification(R"({"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock",
      "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_NOTIFY"}]})");
}

// TSYNC beside a listener needs TSYNC_ESRCH, and WAIT_KILLABLE_RECV is added by hand
// (libseccomp 2.5 has no attribute for it): the kernel must take both.
TEST(SeccompLoad, NotifyWithTsyncAndWaitKillableRecv) {
  answer_one_notification(R"({"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock",
      "flags": ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
      "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_NOTIFY"}]})");
}

// ---- features ------------------------------------------------------------------------

TEST(SeccompFeatures, KnownAndSupported) {
  auto actions = known_actions();
  EXPECT_EQ(actions.size(), 9u);
  EXPECT_TRUE(contains(actions, "SCMP_ACT_NOTIFY"));
  EXPECT_TRUE(contains(actions, "SCMP_ACT_KILL_PROCESS"));
  EXPECT_EQ(known_operators(), (std::vector<std::string>{"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
                                                         "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"}));
  auto archs = known_archs();
  for (const char* a : {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_PARISC64",
                        "SCMP_ARCH_RISCV64"})
    EXPECT_TRUE(contains(archs, a)) << a;
  auto supported = supported_archs();
  EXPECT_TRUE(contains(supported, "SCMP_ARCH_X86_64"));
  EXPECT_TRUE(contains(supported, "SCMP_ARCH_RISCV64"));
  EXPECT_LE(supported.size(), archs.size());
  EXPECT_EQ(known_flags(), (std::vector<std::string>{"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                                                     "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                                                     "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}));
  // This host's kernel (6.18, see HOST.md) has every flag and every action.
  EXPECT_EQ(supported_flags(), known_flags());
  EXPECT_EQ(supported_actions(), known_actions());
}

}  // namespace
}  // namespace vigil::seccomp

namespace vigil::seccomp {
namespace {

TEST(SeccompProgram, EncodesAndDecodes) {
  Program p;
  p.insns = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4)};
  p.flags = SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_LOG;
  p.wait_killable = true;
  auto back = Program::decode(p.encode());
  ASSERT_TRUE(back.ok()) << back.error().str();
  EXPECT_EQ(back->flags, p.flags);
  EXPECT_TRUE(back->wait_killable);
  EXPECT_TRUE(back->listener());
  ASSERT_EQ(back->insns.size(), 2u);
  EXPECT_EQ(back->insns[1].k, 4u);
  EXPECT_FALSE(Program::decode("short").ok());
  EXPECT_FALSE(Program::decode(p.encode() + "x").ok());
}

TEST(SeccompCache, CompilesOnceThenHitsOnlyForTheSameProfile) {
  internal::TempDir tmp;
  std::string dir = tmp.path() + "/cache";
  auto raw = nlohmann::json::parse(R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
      {"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]})");
  auto profile = parse_profile(raw).value();
  std::vector<std::string> notes;
  auto first = compile_cached(profile, raw, dir, &notes);
  ASSERT_TRUE(first.ok()) << first.error().str();
  auto entries = [&] {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) n++;
    return n;
  };
  EXPECT_EQ(entries(), 1u);
  // A hit gives the same program; a corrupt entry is recompiled, not loaded.
  auto second = compile_cached(profile, raw, dir, &notes);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->encode(), first->encode());
  for (const auto& e : std::filesystem::directory_iterator(dir)) std::ofstream(e.path()) << "garbage";
  auto third = compile_cached(profile, raw, dir, &notes);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->encode(), first->encode());
  // Another profile is another entry, never the first one's program.
  auto raw2 = nlohmann::json::parse(R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":[
      {"names":["read","write","exit_group"],"action":"SCMP_ACT_ALLOW"}]})");
  auto other = compile_cached(parse_profile(raw2).value(), raw2, dir, &notes);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->encode(), first->encode());
  EXPECT_EQ(entries(), 2u);
}

}  // namespace
}  // namespace vigil::seccomp
