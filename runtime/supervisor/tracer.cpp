#include "runtime/supervisor/tracer.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include <csignal>

#include "runtime/base/log.hpp"
#include "runtime/supervisor/respond.hpp"

namespace vigil::supervisor {
namespace {

// No fork or clone event: children are not traced.
constexpr long kOptions = PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;

bool is_stop_signal(int sig) { return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU; }

void warn_ptrace(const char* what, pid_t pid) {
  // ESRCH: killed meanwhile; its exit comes next.
  if (errno != ESRCH) log_warn(std::string("supervisor: ptrace ") + what + " pid " + std::to_string(pid) + ": " + std::to_string(errno));
}

// Who traces `tid` (0: nobody, or unknown).
pid_t tracer_of(pid_t tid) {
  auto pid = status_field(tid, "TracerPid");
  return pid ? pid_t(std::atoi(pid->c_str())) : 0;
}

}  // namespace

Status Tracer::init() {
  // Tracee stops come as SIGCHLD: read through a signalfd, polled with the watched fds.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  if (::pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) return Error(EINVAL, "block SIGCHLD");
  signals_ = unique_fd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!signals_) return Error::from_errno("signalfd for the tracer");
  requested_ = unique_fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!requested_) return Error::from_errno("eventfd for the tracer");
  return {};
}

Status Tracer::keep(pid_t pid) {
  if (::ptrace(PTRACE_SEIZE, pid, nullptr, kOptions) < 0) return Error::from_errno("ptrace seize pid " + std::to_string(pid));
  traced_[pid] = {true};
  return {};
}

bool Tracer::keeps_any() const {
  for (const auto& [pid, t] : traced_)
    if (t.kept) return true;
  return false;
}

void Tracer::let_exec(const Notified& who) {
  ExecRequest r{unique_fd(::fcntl(who.listener, F_DUPFD_CLOEXEC, 0)), who.id, who.pid};
  if (!r.listener) {
    log_warn("supervisor: duplicate a listener: " + std::to_string(errno));
    (void)respond_errno(who.listener, who.id, EAGAIN);
    return hooks_.gone(who.pid);
  }
  {
    std::lock_guard lock(mu_);
    requests_.push_back(std::move(r));
  }
  (void)!::eventfd_write(requested_.get(), 1);
}

void Tracer::start_exec(const ExecRequest& r) {
  if (!traced_.contains(r.tid)) {
    if (::ptrace(PTRACE_SEIZE, r.tid, nullptr, kOptions) < 0) {
      int err = errno;
      if (err == EPERM) {
        // Another tracer (a debugger in the container): no exec stop can be had.
        bool allowed = hooks_.debugged(r.tid, tracer_of(r.tid));
        (void)(allowed ? respond_continue(r.listener.get(), r.id) : respond_errno(r.listener.get(), r.id, EPERM));
      }
      // ESRCH: killed while it waited; nothing to answer.
      return hooks_.gone(r.tid);
    }
    traced_[r.tid] = {false};
    // Stops it on its way out of an execve that fails; a successful one's exec stop takes
    // its place. (If the thread was killed and its id reused, the stranger stops and is let
    // go.)
    if (::ptrace(PTRACE_INTERRUPT, r.tid, nullptr, nullptr) < 0) warn_ptrace("interrupt", r.tid);
  }
  // ENOENT: killed meanwhile; its exit comes.
  (void)respond_continue(r.listener.get(), r.id);
}

void Tracer::watch(int fd, std::function<void()> on_readable) { watched_.emplace_back(fd, std::move(on_readable)); }

Tracer::Tracee& Tracer::after_exec(pid_t pid, pid_t former) {
  if (former != pid) {
    // A thread other than the leader called execve and took the leader's pid: the process
    // is kept if either was.
    auto it = traced_.find(former);
    bool kept = it != traced_.end() && it->second.kept;
    if (it != traced_.end()) traced_.erase(it);
    traced_[pid].kept |= kept;
  }
  return traced_[pid];
}

void Tracer::let_go(pid_t pid, int sig) {
  traced_.erase(pid);
  if (::ptrace(PTRACE_DETACH, pid, nullptr, reinterpret_cast<void*>(long(sig))) < 0) warn_ptrace("detach", pid);
}

void Tracer::handle(pid_t pid, int status) {
  if (WIFEXITED(status) || WIFSIGNALED(status)) {
    traced_.erase(pid);
    return hooks_.gone(pid);
  }
  if (!WIFSTOPPED(status)) return;
  int sig = WSTOPSIG(status);
  int event = status >> 16;
  if (event == PTRACE_EVENT_EXEC) {
    // The thread that called execve: the process leader now, whichever thread it was.
    unsigned long former = 0;
    if (::ptrace(PTRACE_GETEVENTMSG, pid, nullptr, &former) < 0) former = static_cast<unsigned long>(pid);
    Tracee& t = after_exec(pid, pid_t(former));
    std::string why = hooks_.exec(pid, pid_t(former));
    if (!why.empty()) {
      // Stopped and ours: the pid cannot have been reused. Its exit comes next.
      ::kill(pid, SIGKILL);
      log_warn("supervisor: killed pid " + std::to_string(pid) + " at its exec: " + why);
      return;
    }
    if (!t.kept) return let_go(pid, 0);
    if (::ptrace(PTRACE_CONT, pid, nullptr, nullptr) < 0) warn_ptrace("resume", pid);
    return;
  }
  auto it = traced_.find(pid);
  if (it == traced_.end() || !it->second.kept) {
    // Any other stop of a process seized for its exec comes after its execve returned: it
    // failed. Let go, with the signal it was stopped for, if any (a group stop stays one).
    hooks_.gone(pid);
    return let_go(pid, event == 0 ? sig : 0);
  }
  long rc;
  if (event == PTRACE_EVENT_STOP) {
    // A group stop (SIGSTOP, ^Z): stays stopped, yet SIGCONT can reach it. Else an
    // interrupt: carry on.
    rc = is_stop_signal(sig) ? ::ptrace(PTRACE_LISTEN, pid, nullptr, nullptr) : ::ptrace(PTRACE_CONT, pid, nullptr, nullptr);
  } else {
    // A signal on its way to the process: deliver it as if we were not there.
    rc = ::ptrace(PTRACE_CONT, pid, nullptr, reinterpret_cast<void*>(long(sig)));
  }
  if (rc < 0) warn_ptrace("resume", pid);
}

void Tracer::run(const std::function<bool()>& over) {
  std::vector<pollfd> fds = {{signals_.get(), POLLIN, 0}, {requested_.get(), POLLIN, 0}};
  for (const auto& [fd, cb] : watched_) fds.push_back({fd, POLLIN, 0});
  while (!over()) {
    if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) break;
    for (size_t i = 2; i < fds.size(); i++)
      if (fds[i].revents) watched_[i - 2].second();
    if (fds[1].revents) {
      eventfd_t n;
      (void)::eventfd_read(requested_.get(), &n);
      std::vector<ExecRequest> batch;
      {
        std::lock_guard lock(mu_);
        batch.swap(requests_);
      }
      for (const auto& r : batch) start_exec(r);
    }
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
