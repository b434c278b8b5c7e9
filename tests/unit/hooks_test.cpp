// The OCI hooks runner, against real /bin/sh hooks written to a temp dir.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "hooks/run_hook.hpp"
#include "runtime/process/process_handle.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil {
namespace {

// A `#!/bin/sh` script named `name` in `d` running `body`.
std::string script(const internal::TempDir& d, const std::string& name, const std::string& body, mode_t mode = 0755) {
  std::string path = d.path() + "/" + name;
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  ::chmod(path.c_str(), mode);
  return path;
}

oci::Hook hook_at(const std::string& path, std::vector<std::string> args = {}, std::vector<std::string> env = {},
                  std::optional<int> timeout = std::nullopt) {
  return oci::Hook{path, std::move(args), std::move(env), timeout};
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string line; std::getline(ss, line);) out.push_back(line);
  return out;
}

size_t count_fds() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) n++;
  return n;
}

// Collects the output lines of the hooks it is passed to.
struct Lines {
  std::vector<std::string> v;
  HookOutput sink() {
    return [this](std::string_view l) { v.emplace_back(l); };
  }
};

const std::string kState = R"({"ociVersion":"1.2.0","id":"c1","status":"creating","pid":42,"bundle":"/b"})";

TEST(HookRun, Succeeds) {
  internal::TempDir d;
  EXPECT_TRUE(run_hook(hook_at(script(d, "ok", "exit 0")), kState, {}).ok());
}

TEST(HookRun, StateArrivesExactlyOnStdin) {
  internal::TempDir d;
  std::string out = d.path() + "/state";
  auto st = run_hook(hook_at(script(d, "h", "cat > " + out)), kState, {});
  ASSERT_TRUE(st.ok()) << st.error().str();
  EXPECT_EQ(slurp(out), kState);
}

TEST(HookRun, ArgsAndEnvArePassedExactly) {
  internal::TempDir d;
  ::setenv("VIGIL_HOOK_TEST_LEAK", "1", 1);
  // Through /bin/sh directly: for a #! script the kernel replaces argv[0] with the interpreter.
  std::string body = "tr '\\0' '\\n' < /proc/$$/cmdline > " + d.path() + "/argv; env > " + d.path() + "/env";
  std::string s = script(d, "h", body);
  std::vector<std::string> args = {"custom-argv0", s, "two words", ""};
  std::vector<std::string> env = {"A=1", "B=with space", "EMPTY="};
  auto st = run_hook(hook_at("/bin/sh", args, env), kState, {});
  ::unsetenv("VIGIL_HOOK_TEST_LEAK");
  ASSERT_TRUE(st.ok()) << st.error().str();
  EXPECT_EQ(split_lines(slurp(d.path() + "/argv")), args);
  std::set<std::string> got;
  for (const auto& l : split_lines(slurp(d.path() + "/env")))
    if (l.rfind("PWD=", 0) != 0) got.insert(l);  // dash exports its PWD itself
  EXPECT_EQ(got, std::set<std::string>(env.begin(), env.end()));
}

TEST(HookRun, NoArgsMeansArgv0IsThePath) {
  // /bin/sh with no arguments runs its stdin: the state here is a script.
  Lines lines;
  auto st = run_hook(hook_at("/bin/sh"), "tr '\\0' '\\n' < /proc/$$/cmdline\n", lines.sink());
  ASSERT_TRUE(st.ok()) << st.error().str();
  EXPECT_EQ(lines.v, std::vector<std::string>{"/bin/sh"});
}

TEST(HookRun, EmptyEnvIsEmpty) {
  Lines lines;
  ::setenv("VIGIL_HOOK_TEST_LEAK", "1", 1);
  auto st = run_hook(hook_at("/usr/bin/env", {"env"}), kState, lines.sink());
  ::unsetenv("VIGIL_HOOK_TEST_LEAK");
  ASSERT_TRUE(st.ok()) << st.error().str();
  EXPECT_TRUE(lines.v.empty()) << lines.v[0];
}

TEST(HookRun, ExitStatus) {
  internal::TempDir d;
  std::string h = script(d, "h", "exit 3");
  auto st = run_hook(hook_at(h), kState, {});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().str(), "hook " + h + ": exited with status 3");
}

TEST(HookRun, KilledBySignal) {
  internal::TempDir d;
  std::string h = script(d, "h", "kill -9 $$");
  auto st = run_hook(hook_at(h), kState, {});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().str(), "hook " + h + ": killed by signal 9 (SIGKILL)");
}

TEST(HookRun, TimeoutKillsTheHookAndWhatItStarted) {
  internal::TempDir d;
  std::string h = script(d, "h", "echo $$ > " + d.path() + "/pid; sleep 30 & echo $! > " + d.path() + "/bg; wait");
  auto start = std::chrono::steady_clock::now();
  auto st = run_hook(hook_at(h, {}, {}, 1), kState, {});
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().str(), "hook " + h + ": timed out after 1s");
  EXPECT_LT(elapsed, std::chrono::milliseconds(2000));
  EXPECT_GE(elapsed, std::chrono::milliseconds(1000));

  pid_t pid = std::stoi(slurp(d.path() + "/pid"));
  int rc = ::kill(pid, 0);
  int err = errno;
  EXPECT_EQ(rc, -1);  // reaped, so gone
  EXPECT_EQ(err, ESRCH);
  // The background sleep was in its process group: killed too (reaped by init, so allow a moment).
  pid_t bg = std::stoi(slurp(d.path() + "/bg"));
  bool gone = false;
  for (int i = 0; i < 100 && !gone; i++) {
    gone = !process_start_time(bg).has_value();
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(gone) << "sleep " << bg << " survived the timeout";
}

TEST(HookRun, MissingBinaryIsAnExecError) {
  internal::TempDir d;
  std::string h = d.path() + "/nope";
  auto st = run_hook(hook_at(h), kState, {});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), ENOENT);
  EXPECT_EQ(st.error().str(), "hook " + h + ": exec: ENOENT (No such file or directory)");
}

TEST(HookRun, NonExecutableFileIsAnExecError) {
  internal::TempDir d;
  std::string h = script(d, "h", "exit 0", 0644);
  auto st = run_hook(hook_at(h), kState, {});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), EACCES);
  EXPECT_EQ(st.error().str(), "hook " + h + ": exec: EACCES (Permission denied)");
}

TEST(HookRun, OutputGoesToTheCallbackOnly) {
  internal::TempDir d;
  std::string h = script(d, "h", "echo out; echo err >&2; printf 'no newline'");
  // Our own stdout and stderr go to a file while the hook runs: nothing must land there.
  std::string capture = d.path() + "/capture";
  fflush(stdout);
  fflush(stderr);
  int saved_out = ::dup(1), saved_err = ::dup(2);
  int cap = ::open(capture.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(cap, 0);
  ::dup2(cap, 1);
  ::dup2(cap, 2);
  Lines lines;
  auto st = run_hook(hook_at(h), kState, lines.sink());
  ::dup2(saved_out, 1);
  ::dup2(saved_err, 2);
  ::close(saved_out);
  ::close(saved_err);
  ::close(cap);
  ASSERT_TRUE(st.ok()) << st.error().str();
  EXPECT_EQ(lines.v, (std::vector<std::string>{"out", "err", "no newline"}));
  EXPECT_EQ(slurp(capture), "");
}

TEST(HookRun, HookSeesOnlyItsStdio) {
  // Not close-on-exec: only the hook runner's own closing keeps it from the hook.
  int leak = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(leak, 0);
  Lines lines;
  auto st = run_hook(hook_at("/bin/ls", {"ls", "/proc/self/fd"}), kState, lines.sink());
  ::close(leak);
  ASSERT_TRUE(st.ok()) << st.error().str();
  // 3 is ls's own handle on the directory it lists.
  EXPECT_EQ(lines.v, (std::vector<std::string>{"0", "1", "2", "3"}));
}

TEST(HookRun, StartsWithNoSignalBlockedOrIgnored) {
  sigset_t term, old;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &term, &old);
  auto old_int = ::signal(SIGINT, SIG_IGN);
  Lines lines;
  auto st = run_hook(hook_at("/bin/grep", {"grep", "-E", "^Sig(Blk|Ign):", "/proc/self/status"}), kState, lines.sink());
  ::signal(SIGINT, old_int);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  ASSERT_TRUE(st.ok()) << st.error().str();
  EXPECT_EQ(lines.v, (std::vector<std::string>{"SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000"}));
}

TEST(HookRun, LotsOfOutputBeforeReadingStdinDoesNotDeadlock) {
  internal::TempDir d;
  std::string h = script(d, "h", "yes 0123456789abcde | head -n 65536; cat > " + d.path() + "/state");
  std::string state(1 << 20, 's');
  Lines lines;
  // The timeout only turns a deadlock into a failure instead of a hung test.
  auto st = run_hook(hook_at(h, {}, {}, 30), state, lines.sink());
  ASSERT_TRUE(st.ok()) << st.error().str();
  EXPECT_EQ(lines.v.size(), 65536u);  // 1 MiB of 16-byte lines
  EXPECT_EQ(lines.v.back(), "0123456789abcde");
  EXPECT_EQ(slurp(d.path() + "/state"), state);
}

TEST(HookRun, ExitingZeroWithoutReadingTheStateIsFine) {
  internal::TempDir d;
  std::string state(1 << 20, 's');
  EXPECT_TRUE(run_hook(hook_at(script(d, "h", "exit 0")), state, {}).ok());
  EXPECT_TRUE(run_hook(hook_at(script(d, "h2", "exec 0<&-; sleep 0.1; exit 0")), state, {}).ok());
  // The SIGPIPE our write raised was taken back: none pending, and the mask is as it was.
  sigset_t pending, mask;
  sigpending(&pending);
  EXPECT_FALSE(sigismember(&pending, SIGPIPE));
  pthread_sigmask(SIG_SETMASK, nullptr, &mask);
  EXPECT_FALSE(sigismember(&mask, SIGPIPE));
}

TEST(HookRun, FailingAfterClosingStdinSaysSo) {
  internal::TempDir d;
  std::string h = script(d, "h", "exec 0<&-; sleep 0.1; exit 3");
  auto st = run_hook(hook_at(h), std::string(1 << 20, 's'), {});
  ASSERT_FALSE(st.ok());
  std::string msg = st.error().str();
  EXPECT_EQ(msg.rfind("hook " + h + ": exited with status 3 without reading its state (stdin closed after ", 0), 0u)
      << msg;
  EXPECT_NE(msg.find(" of 1048576 bytes)"), std::string::npos) << msg;
}

TEST(HookRunAll, StopsAtTheFirstFailure) {
  internal::TempDir d;
  std::string a = d.path() + "/a", c = d.path() + "/c";
  std::vector<oci::Hook> hooks = {hook_at(script(d, "h0", "touch " + a)), hook_at(script(d, "h1", "exit 3")),
                                  hook_at(script(d, "h2", "touch " + c))};
  auto st = run_hooks("createRuntime", hooks, kState, {});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().str(), "createRuntime hook #1 (" + d.path() + "/h1): exited with status 3");
  EXPECT_TRUE(std::filesystem::exists(a));
  EXPECT_FALSE(std::filesystem::exists(c));

  EXPECT_TRUE(run_hooks("poststop", {}, kState, {}).ok());
  auto missing = run_hooks("prestart", {hook_at("/nonexistent/hook")}, kState, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().str(), "prestart hook #0 (/nonexistent/hook): exec: ENOENT (No such file or directory)");
}

TEST(HookRunAll, LeavesNoFdOrZombieBehind) {
  internal::TempDir d;
  std::string big(1 << 20, 's');
  std::vector<oci::Hook> each = {
      hook_at(script(d, "ok", "cat > /dev/null; echo done")),
      hook_at(script(d, "fail", "exit 3")),
      hook_at(script(d, "sig", "kill -9 $$")),
      hook_at(script(d, "closes", "exec 0<&- 1>&- 2>&-; exit 4")),
      hook_at(d.path() + "/missing"),
      hook_at(script(d, "noexec", "exit 0", 0644)),
      hook_at(script(d, "slow", "sleep 5", 0755), {}, {}, 1),
  };
  (void)run_hook(each[0], big, {});  // warm up anything lazily opened by the first call
  size_t before = count_fds();
  for (const auto& h : each) (void)run_hook(h, big, {});
  EXPECT_EQ(count_fds(), before);
  // __WALL: hooks are cloned without an exit signal, and plain waitpid does not see such children.
  int status;
  pid_t r = ::waitpid(-1, &status, WNOHANG | __WALL);
  EXPECT_TRUE(r == 0 || (r == -1 && errno == ECHILD)) << "waitpid returned " << r;
}

}  // namespace
}  // namespace vigil
