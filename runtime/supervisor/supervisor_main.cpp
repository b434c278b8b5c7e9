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
#include "runtime/supervisor/memory_watch.hpp"
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

// Everything that does not need the init, made while create makes it: the supervisor is
// confined and its monitor running by the time the init is handed over.
struct Prepared {
  std::optional<supervisor::AuditLog> audit;
  unique_fd control;
  std::optional<supervisor::Guard> guard;
  std::unique_ptr<verify::Examiner> examiner;
  std::unique_ptr<supervisor::Judge> judge;
  std::unique_ptr<supervisor::Monitor> monitor;
};

Status prepare(const supervisor::LaunchRequest& r, Prepared& p) {
  const std::string& dir = r.dir;
  p.audit.emplace(TRY(supervisor::AuditLog::open(dir + "/audit.log", r.id)));
  // The socket `vigil exec` hands its processes in on: root only. Its directory stays open
  // for the socket's removal at the end, the one file the confined supervisor may remove.
  p.control = TRY(listen_unix(supervisor::socket_path(dir)));
  if (::fcntl(supervisor::kStateDirFd, F_GETFD) >= 0)
    return Error(EBUSY, "supervisor: fd " + std::to_string(supervisor::kStateDirFd) + " is taken");
  if (unique_fd d(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
      !d || ::dup3(d.get(), supervisor::kStateDirFd, O_CLOEXEC) < 0)
    return Error::from_errno("open " + dir);
  if (supervisor::host_proc() < 0) return Error::from_errno("open /proc");
  // The container dies with us: the guard sees to it.
  p.guard.emplace(TRY(supervisor::Guard::start(r.cgroup)));
  // From here on only what the supervisor's work needs; the monitor thread inherits it.
  const auto watch = supervisor::memory_watch(r.memory, r.sets_data_limit);
  const supervisor::Needs needs{watch.committed, r.judged_paths != 0, watch.data_room};
  auto allow_list = TRY(supervisor::confinement(r.cache_dir, needs));
  // The container's files are read by the examiner, started while we may still fork it.
  if (supervisor::notifies(r.exec))
    p.examiner = TRY(supervisor::ExaminerProcess::start(TRY(supervisor::examiner_confinement(r.cache_dir))));
  else
    p.examiner = std::make_unique<verify::LocalExaminer>();  // never asked: nothing is notified
  std::unique_ptr<supervisor::MemoryJudge> memory;
  if (watch.any()) {
    const cgroup::Dir* mem = r.cgroup.find("memory");
    memory = std::make_unique<supervisor::MemoryJudge>(
        r.memory, TRY(supervisor::ProcMemorySource::open(r.cgroup.procs_dir(), mem ? mem->path : "")), watch.data_room);
  }
  std::unique_ptr<supervisor::PathsJudge> paths;
  if (r.judged_paths) paths = std::make_unique<supervisor::PathsJudge>(r.paths, r.judged_paths);
  p.judge = std::make_unique<supervisor::Judge>(r.exec, std::move(memory), std::move(paths), *p.audit, *p.examiner);
  p.monitor = std::make_unique<supervisor::Monitor>(*p.judge);
  TRY(p.monitor->open());
  TRY(supervisor::confine(allow_list, needs));
  // Seized processes' stops come as SIGCHLD, to the monitor's signalfd alone. With nothing
  // notified (supervisor::notifies), it only sees listeners go.
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &chld, nullptr);
  p.monitor->start();
  return {};
}

}  // namespace

void supervisor_main(int sock, const supervisor::LaunchRequest& r) {
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

  Prepared p;
  Status prepared = prepare(r, p);
  auto msg = recv_message(sock);
  // EOF: create failed, and there is nothing to watch.
  if (!msg || msg->type != MsgType::request || msg->fds.size() != 1) {
    if (p.guard) p.guard->dismiss();
    _exit(1);
  }
  // create kills the init when we fail: the guard need not.
  auto fail = [&](const Error& e) {
    if (p.guard) p.guard->dismiss();
    fail_setup(sock, e);
  };
  if (!prepared) fail(prepared.error());
  // create holds the init, unreaped, until we are ready: its pid is its own.
  pid_t init = pid_t(std::atoi(msg->payload.c_str()));
  unique_fd init_pidfd(int(::syscall(SYS_pidfd_open, init, 0)));
  if (!init_pidfd) fail(Error::from_errno("pidfd_open the init"));
  bool own_pid_namespace = supervisor::leads_pid_namespace(init).value_or(false);
  if (r.exec.needs_dir()) {
    auto uids = supervisor::read_uid_map(init);
    if (!uids) fail(uids.error());
    p.judge->set_uid_map(std::move(*uids));  // before the monitor can see a notification
  }
  if (auto* paths = p.judge->paths()) {
    auto status = supervisor::read_proc_file(init, "status");
    if (!status) fail(status.error());
    size_t depth = supervisor::status_numbers(*status, "NSpid").size();
    if (depth == 0) fail(Error(ENOENT, "the init's /proc status has no NSpid"));
    paths->set_pid_depth(depth);
  }
  p.monitor->add(std::move(msg->fds[0]));
  (void)send_message(sock, MsgType::ready, 0, "");
  ::close(sock);

  // The main thread takes hand-ins, and sees the container end: when its init is gone and,
  // in a pid namespace it shares, once nothing can notify us any more (in one of its own,
  // everything else died with the init).
  supervisor::Monitor& monitor = *p.monitor;
  int control = p.control.get();
  pollfd fds[] = {{control, POLLIN, 0}, {monitor.gone_fd(), POLLIN, 0}, {init_pidfd.get(), POLLIN, 0}};
  bool init_gone = false;
  while (!init_gone || !(own_pid_namespace || monitor.live() == 0)) {
    if (::poll(fds, 3, -1) < 0) continue;
    if (fds[0].revents) take_hand_in(control, monitor);
    if (fds[1].revents) {
      eventfd_t n;
      (void)::eventfd_read(monitor.gone_fd(), &n);
    }
    if (fds[2].revents) init_gone = true, fds[2].fd = -1;
  }
  if (auto* learner = p.judge->learner()) learner->finish();
  p.guard->dismiss();
  ::unlinkat(supervisor::kStateDirFd, supervisor::kSocketName, 0);
  log_debug("supervisor of " + r.id + ": the container is over, exiting; " + std::to_string(monitor.received()) +
            " notifications");
  _exit(0);
}

}  // namespace vigil
