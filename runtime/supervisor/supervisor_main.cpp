#include "runtime/supervisor/supervisor_main.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <cstring>

#include "runtime/base/log.hpp"
#include "runtime/base/unix_socket.hpp"
#include "runtime/init/protocol.hpp"
#include "runtime/supervisor/audit.hpp"
#include "runtime/supervisor/confine.hpp"
#include "runtime/supervisor/examiner_process.hpp"
#include "runtime/supervisor/filter.hpp"
#include "runtime/supervisor/guard.hpp"
#include "runtime/supervisor/judge.hpp"
#include "runtime/supervisor/launch.hpp"
#include "runtime/supervisor/monitor.hpp"

namespace vigil {
namespace {

// How long a hand-in may take to arrive: the main thread waits for it, and the next hand-in.
constexpr timeval kHandInTimeout = {1, 0};

// One `vigil exec` process: its listener is watched. It is seized only if it execs.
void take_hand_in(int control, supervisor::Monitor& monitor) {
  unique_fd conn(::accept4(control, nullptr, nullptr, SOCK_CLOEXEC));
  if (!conn) return;
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(conn.get(), SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.uid != ::geteuid()) {
    (void)send_message(conn.get(), MsgType::error, EPERM, "only the supervisor's own user may hand in processes");
    return;
  }
  (void)::setsockopt(conn.get(), SOL_SOCKET, SO_RCVTIMEO, &kHandInTimeout, sizeof kHandInTimeout);
  auto msg = recv_message(conn.get());
  if (!msg || msg->type != MsgType::request || msg->fds.size() != 1) return;
  log_debug("supervisor: pid " + msg->payload + " handed in by vigil exec");
  monitor.add(std::move(msg->fds[0]));
  (void)send_message(conn.get(), MsgType::ready, 0, "");
}

[[noreturn]] void fail_setup(int sock, const Error& e) {
  (void)send_message(sock, MsgType::error, e.code(), e.what());
  _exit(1);
}

// After create has returned: the container dies with us (the guard), or can run nothing, so
// say why.
[[noreturn]] void fail_running(const Error& e) {
  log_line(LogLevel::error, "supervisor: " + e.str() + "; the container is killed with it");
  _exit(1);
}

}  // namespace

void supervisor_main(int sock, const supervisor::LaunchRequest& r) {
  // Nothing before the init is handed over: meanwhile create makes it, and any work here
  // would compete with that. What follows overlaps with create saving the container's state.
  auto msg = recv_message(sock);
  // EOF: create failed, and there is nothing to watch.
  if (!msg || msg->type != MsgType::request || msg->fds.size() != 1) _exit(1);

  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  // create's stdio belongs to its caller (conmon, the shim wait for it to close): not ours.
  if (int null = ::open("/dev/null", O_RDWR | O_CLOEXEC); null >= 0) {
    for (int fd = 0; fd < 3; fd++) ::dup2(null, fd);
    ::close(null);
  }
  // Only delete's SIGKILL is meant for us. Inherited are create's mask and dispositions
  // that are the default or ignored (exec resets handlers): SIGCHLD must be the default
  // for a tracer. Ignored before the mask is cleared, so none pending is delivered.
  for (int s : {SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU}) ::signal(s, SIG_IGN);
  ::signal(SIGCHLD, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  LogConfig log = log_config();
  log.file.clear();
  log.fd = r.log;
  log_configure(log);
  const std::string &dir = r.dir, &id = r.id;

  // What must exist when create returns.
  auto audit = supervisor::AuditLog::open(dir + "/audit.log", id);
  if (!audit) fail_setup(sock, audit.error());
  // The socket `vigil exec` hands its processes in on: root only. Its directory stays open
  // for the socket's removal at the end, the one file the confined supervisor may remove.
  auto control = listen_unix(supervisor::socket_path(dir));
  if (!control) fail_setup(sock, control.error());
  if (::fcntl(supervisor::kStateDirFd, F_GETFD) >= 0)
    fail_setup(sock, Error(EBUSY, "supervisor: fd " + std::to_string(supervisor::kStateDirFd) + " is taken"));
  if (unique_fd d(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
      !d || ::dup3(d.get(), supervisor::kStateDirFd, O_CLOEXEC) < 0)
    fail_setup(sock, Error::from_errno("open " + dir));
  if (supervisor::host_proc() < 0) fail_setup(sock, Error::from_errno("open /proc"));
  // create holds the init, unreaped, until we are ready: its pid is its own.
  pid_t init = pid_t(std::atoi(msg->payload.c_str()));
  unique_fd init_pidfd(int(::syscall(SYS_pidfd_open, init, 0)));
  if (!init_pidfd) fail_setup(sock, Error::from_errno("pidfd_open the init"));
  bool own_pid_namespace = supervisor::leads_pid_namespace(init).value_or(false);
  supervisor::UidMap uids;
  if (r.exec.tpe) {
    auto read = supervisor::read_uid_map(init);
    if (!read) fail_setup(sock, read.error());
    uids = std::move(*read);
  }
  (void)send_message(sock, MsgType::ready, 0, "");
  ::close(sock);

  // Until the init's first exec, which waits for us, nothing of the container runs: what
  // follows is not on create's path. The container dies with us: the guard sees to it.
  auto guard = supervisor::Guard::start(r.cgroup);
  if (!guard) fail_running(guard.error());
  // The init's notifications wait for us in the kernel until the monitor thread below takes
  // them, and nothing from the container is read before we are confined. From here on only
  // what the supervisor's work needs; the threads inherit the filter.
  auto allow_list = supervisor::confinement(r.cache_dir);
  if (!allow_list) fail_running(allow_list.error());
  // The container's files are read by the examiner, started while we may still fork it.
  std::unique_ptr<verify::Examiner> examiner;
  if (supervisor::notifies(r.exec)) {
    auto filter = supervisor::examiner_confinement(r.cache_dir);
    if (!filter) fail_running(filter.error());
    auto started = supervisor::ExaminerProcess::start(*filter);
    if (!started) fail_running(started.error());
    examiner = std::move(*started);
  } else {
    examiner = std::make_unique<verify::LocalExaminer>();  // never asked: nothing is notified
  }
  supervisor::Judge judge(r.exec, *audit, *examiner);
  if (r.exec.tpe) judge.set_uid_map(std::move(uids));
  supervisor::Monitor monitor(judge);
  if (auto st = monitor.open(); !st) fail_running(st.error());
  monitor.add(std::move(msg->fds[0]));
  if (auto st = supervisor::confine(*allow_list); !st) fail_running(st.error());
  // Seized processes' stops come as SIGCHLD, to the monitor's signalfd alone. With nothing
  // notified (supervisor::notifies), it only sees listeners go.
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &chld, nullptr);
  monitor.start();

  // The main thread takes hand-ins, and sees the container end: when its init is gone and,
  // in a pid namespace it shares, once nothing can notify us any more (in one of its own,
  // everything else died with the init).
  pollfd fds[] = {{control->get(), POLLIN, 0}, {monitor.gone_fd(), POLLIN, 0}, {init_pidfd.get(), POLLIN, 0}};
  bool init_gone = false;
  while (!init_gone || !(own_pid_namespace || monitor.live() == 0)) {
    if (::poll(fds, 3, -1) < 0) continue;
    if (fds[0].revents) take_hand_in(control->get(), monitor);
    if (fds[1].revents) {
      eventfd_t n;
      (void)::eventfd_read(monitor.gone_fd(), &n);
    }
    if (fds[2].revents) init_gone = true, fds[2].fd = -1;
  }
  guard->dismiss();
  ::unlinkat(supervisor::kStateDirFd, supervisor::kSocketName, 0);
  log_debug("supervisor of " + id + ": the container is over, exiting");
  _exit(0);
}

}  // namespace vigil
