#include "hooks/hook_process.hpp"
#include "runtime/process/signals.hpp"

#include <fcntl.h>
#include <linux/sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <csignal>
#include <string>
#include <vector>

#include "runtime/process/process_handle.hpp"

namespace vigil {
namespace {

// What the child sends on its error pipe when a step before exec fails. The pipe is
// close-on-exec: EOF without a report means the exec happened.
enum class Step : int { stdio, close_fds, setpgid, exec };

struct Report {
  Step step;
  int err;
};

const char* step_name(Step s) {
  switch (s) {
    case Step::stdio: return "set up stdio";
    case Step::close_fds: return "close inherited fds";
    case Step::setpgid: return "setpgid";
    case Step::exec: return "exec";
  }
  return "start";
}

// Everything the child needs, prepared before clone: between clone and exec the child may
// only make async-signal-safe calls. The CLI may have other threads (whose malloc locks we
// would inherit held), and the container's init must not allocate after a fork either.
struct ChildPlan {
  const char* path;
  char* const* argv;
  char* const* envp;
  int stdin_fd;
  int output_fd;
  int report_fd;
};

[[noreturn]] void fail(int report_fd, Step step) {
  Report r{step, errno};
  (void)!::write(report_fd, &r, sizeof r);
  ::_exit(127);
}

[[noreturn]] void child_exec(const ChildPlan& p) {
  // Handlers were reset by CLONE_CLEAR_SIGHAND; ignored signals would stay ignored across exec
  // (vigil may ignore some), and `vigil run` blocks nearly all of them to forward them. A hook
  // starts as if from a clean shell: nothing ignored, nothing blocked.
  reset_signals_for_exec();

  // Its own process group, so a timeout kills what the hook started too (`sleep 30 &`).
  if (::setpgid(0, 0) < 0) fail(p.report_fd, Step::setpgid);

  // Move our three fds above 2 first: any of them may be 0, 1 or 2 (the caller may have
  // closed its stdio), and the dup2s below must not overwrite one with another.
  int report = ::fcntl(p.report_fd, F_DUPFD_CLOEXEC, 3);
  if (report < 0) fail(p.report_fd, Step::stdio);
  int in = ::fcntl(p.stdin_fd, F_DUPFD_CLOEXEC, 3);
  int out = ::fcntl(p.output_fd, F_DUPFD_CLOEXEC, 3);
  if (in < 0 || out < 0) fail(report, Step::stdio);
  if (::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(out, 2) < 0) fail(report, Step::stdio);

  // Nothing of vigil's may reach the hook: close all but 0-2 and the report pipe, which
  // closes on exec itself.
  if (report > 3 && ::syscall(SYS_close_range, 3u, unsigned(report - 1), 0u) < 0) fail(report, Step::close_fds);
  if (::syscall(SYS_close_range, unsigned(report + 1), UINT_MAX, 0u) < 0) fail(report, Step::close_fds);

  ::execve(p.path, p.argv, p.envp);
  fail(report, Step::exec);
}

// execve wants char* const[]; it does not write through them.
std::vector<char*> c_strings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  out.reserve(v.size() + 1);
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace

HookProcess::HookProcess(pid_t pid, unique_fd pidfd, unique_fd report)
    : pid_(pid), pidfd_(std::move(pidfd)), report_(std::move(report)) {}

HookProcess::~HookProcess() {
  if (!pidfd_) return;
  kill_group();
  (void)reap();
}

void HookProcess::kill_group() {
  // Safe while it is unreaped: its pid, and so its group id, cannot be reused until then.
  ::kill(-pid_, SIGKILL);
  // The group may not exist yet (killed before its setpgid): the hook itself, by pidfd.
  (void)send_signal(pidfd_.get(), SIGKILL);
}

Result<siginfo_t> HookProcess::reap() {
  siginfo_t info{};
  // __WALL: it has no exit signal, which makes it a "clone" child to wait().
  int rc;
  do rc = ::waitid(idtype_t(P_PIDFD), id_t(pidfd_.get()), &info, WEXITED | __WALL);
  while (rc < 0 && errno == EINTR);
  pidfd_.reset();
  if (rc < 0) return Error::from_errno("wait for hook");
  return info;
}

std::optional<Error> HookProcess::setup_error() {
  Report r{};
  // Non-blocking: a child forked meanwhile by another thread may hold a copy of the write end.
  ssize_t n;
  do n = ::read(report_.get(), &r, sizeof r);
  while (n < 0 && errno == EINTR);
  if (n != ssize_t(sizeof r)) return std::nullopt;
  return Error(r.err, step_name(r.step));
}

Result<HookProcess> spawn_hook(const oci::Hook& hook, int stdin_fd, int output_fd) {
  // args[0] is passed as given; a hook without args gets its path, as a shell would give it.
  std::vector<std::string> args = hook.args.empty() ? std::vector<std::string>{hook.path} : hook.args;
  std::vector<char*> argv = c_strings(args), envp = c_strings(hook.env);

  int report[2];
  if (::pipe2(report, O_CLOEXEC | O_NONBLOCK) < 0) return Error::from_errno("pipe");
  unique_fd report_read(report[0]), report_write(report[1]);
  ChildPlan plan{hook.path.c_str(), argv.data(), envp.data(), stdin_fd, output_fd, report_write.get()};

  int pidfd = -1;
  clone_args ca{};
  ca.flags = CLONE_PIDFD | CLONE_CLEAR_SIGHAND;
  ca.pidfd = uint64_t(uintptr_t(&pidfd));
  ca.exit_signal = 0;  // see HookProcess
  long pid = ::syscall(SYS_clone3, &ca, sizeof ca);
  if (pid < 0) return Error::from_errno("clone3");
  if (pid == 0) child_exec(plan);
  return HookProcess(pid_t(pid), unique_fd(pidfd), std::move(report_read));
}

}  // namespace vigil
