#include "runtime/supervisor/tracer.hpp"

#include <poll.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include <csignal>

#include "runtime/base/log.hpp"

namespace vigil::supervisor {
namespace {

constexpr long kOptions = PTRACE_O_TRACEEXEC | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
                          PTRACE_O_EXITKILL;

bool is_stop_signal(int sig) { return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU; }

}  // namespace

Status Tracer::init() {
  // Tracee stops come as SIGCHLD: read through a signalfd, polled with the watched fd.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  if (::pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) return Error(EINVAL, "block SIGCHLD");
  signals_ = unique_fd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!signals_) return Error::from_errno("signalfd for the tracer");
  return {};
}

Status Tracer::seize(pid_t pid) {
  if (::ptrace(PTRACE_SEIZE, pid, nullptr, kOptions) < 0) return Error::from_errno("ptrace seize pid " + std::to_string(pid));
  traced_.insert(pid);
  return {};
}

void Tracer::watch(int fd, std::function<void()> on_readable) {
  watched_ = fd;
  on_watched_ = std::move(on_readable);
}

void Tracer::handle(pid_t pid, int status) {
  if (WIFEXITED(status) || WIFSIGNALED(status)) {
    traced_.erase(pid);
    hooks_.gone(pid);
    return;
  }
  if (!WIFSTOPPED(status)) return;
  // Children of traced processes are traced from birth; their first stop may come first.
  traced_.insert(pid);
  int sig = WSTOPSIG(status);
  int event = status >> 16;
  long rc;
  if (event == PTRACE_EVENT_STOP) {
    // A group stop (SIGSTOP, ^Z): stays stopped, yet SIGCONT can reach it. Else the first
    // stop of a new child, or after an interrupt: carry on.
    rc = is_stop_signal(sig) ? ::ptrace(PTRACE_LISTEN, pid, nullptr, nullptr) : ::ptrace(PTRACE_CONT, pid, nullptr, nullptr);
  } else if (event == PTRACE_EVENT_EXEC) {
    on_exec(pid);
    rc = ::ptrace(PTRACE_CONT, pid, nullptr, nullptr);
  } else if (event != 0) {
    // fork, vfork, clone: the child is traced from birth.
    rc = ::ptrace(PTRACE_CONT, pid, nullptr, nullptr);
  } else {
    // A signal on its way to the process: deliver it as if we were not there.
    rc = ::ptrace(PTRACE_CONT, pid, nullptr, reinterpret_cast<void*>(long(sig)));
  }
  // ESRCH: killed meanwhile; its exit comes next.
  if (rc < 0 && errno != ESRCH) log_warn("supervisor: ptrace resume pid " + std::to_string(pid) + ": " + std::to_string(errno));
}

void Tracer::on_exec(pid_t pid) {
  // The thread that called execve: the process leader now, whichever thread it was.
  unsigned long former = 0;
  if (::ptrace(PTRACE_GETEVENTMSG, pid, nullptr, &former) < 0) former = static_cast<unsigned long>(pid);
  std::string why = hooks_.exec(pid, pid_t(former));
  if (why.empty()) return;
  // Stopped and ours: the pid cannot have been reused.
  ::kill(pid, SIGKILL);
  log_warn("supervisor: killed pid " + std::to_string(pid) + " at its exec: " + why);
}

void Tracer::run() {
  pollfd fds[2] = {{signals_.get(), POLLIN, 0}, {watched_, POLLIN, 0}};  // a negative fd is skipped
  while (!traced_.empty()) {
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) break;
    if (fds[1].revents) on_watched_();
    if (fds[0].revents) {
      // SIGCHLD does not queue: one read clears it, and waitpid below finds every change.
      signalfd_siginfo si;
      (void)!::read(signals_.get(), &si, sizeof si);
    }
    // Every pending stop and exit, SIGCHLDs coalesce.
    for (;;) {
      int status;
      pid_t pid = ::waitpid(-1, &status, WNOHANG | __WALL);
      if (pid <= 0) break;
      handle(pid, status);
    }
  }
}

}  // namespace vigil::supervisor
