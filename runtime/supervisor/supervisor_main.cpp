#include "runtime/supervisor/supervisor_main.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <thread>

#include "runtime/base/log.hpp"
#include "runtime/base/unix_socket.hpp"
#include "runtime/init/protocol.hpp"
#include "runtime/supervisor/audit.hpp"
#include "runtime/supervisor/confine.hpp"
#include "runtime/supervisor/exec_stop.hpp"
#include "runtime/supervisor/judge.hpp"
#include "runtime/supervisor/launch.hpp"
#include "runtime/supervisor/notifier.hpp"
#include "runtime/supervisor/tracer.hpp"

namespace vigil {
namespace {

constexpr size_t kNotifyThreads = 2;

// One `vigil exec` process: seized by the tracing thread, then its listener is watched.
void take_hand_in(int conn, supervisor::Tracer& tracer, supervisor::Notifier& notifier) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.uid != ::geteuid()) {
    (void)send_message(conn, MsgType::error, EPERM, "only the supervisor's own user may hand in processes");
    return;
  }
  auto msg = recv_message(conn);
  if (!msg || msg->type != MsgType::request || msg->fds.size() != 1) return;
  pid_t pid = pid_t(std::atoi(msg->payload.c_str()));
  Status st = tracer.request_seize(pid).get();
  if (!st) {
    (void)send_message(conn, MsgType::error, st.error().code(), st.error().what());
    return;
  }
  notifier.add(std::move(msg->fds[0]));
  (void)send_message(conn, MsgType::ready, 0, "");
}

[[noreturn]] void fail_setup(int sock, const Error& e) {
  (void)send_message(sock, MsgType::error, e.code(), e.what());
  _exit(1);
}

}  // namespace

void supervisor_main(int sock, const supervisor::LaunchRequest& r, const seccomp::Program& allow_list) {
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  // create's stdio belongs to its caller (conmon, the shim wait for it to close): not ours.
  if (int null = ::open("/dev/null", O_RDWR | O_CLOEXEC); null >= 0) {
    for (int fd = 0; fd < 3; fd++) ::dup2(null, fd);
    ::close(null);
  }
  // Our session is our own; only delete's SIGKILL is meant for us.
  for (int s : {SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU}) ::signal(s, SIG_IGN);
  LogConfig log = log_config();
  log.file.clear();
  log.fd = r.log;
  log_configure(log);
  const std::string &dir = r.dir, &id = r.id;

  // Ready before the init exists: this overlaps with its making.
  auto audit = supervisor::AuditLog::open(dir + "/audit.log", id);
  if (!audit) fail_setup(sock, audit.error());
  supervisor::ExpectedImages expected;
  supervisor::Tracer tracer({[&](pid_t pid, pid_t former_tid) {
                               if (!r.exec.judges_exec()) return std::string();
                               auto image = expected.take(former_tid);
                               std::string why = supervisor::exec_mismatch(pid, image);
                               if (!why.empty())
                                 audit->record({pid, "execve", image ? image->path : "", "exec.image", "kill", why});
                               return why;
                             },
                             [&](pid_t tid) { expected.forget(tid); }});
  if (auto st = tracer.init(); !st) fail_setup(sock, st.error());
  // The socket `vigil exec` hands its processes in on: root only.
  auto control = listen_unix(supervisor::socket_path(dir));
  if (!control) fail_setup(sock, control.error());
  // From here on only what the supervisor's work needs; the threads inherit the filter.
  if (auto st = supervisor::confine(allow_list); !st) fail_setup(sock, st.error());
  supervisor::Judge judge(r.exec, *audit, expected);
  supervisor::Notifier notifier(judge);
  if (auto st = notifier.start(kNotifyThreads); !st) fail_setup(sock, st.error());
  // Hand-ins wait for the tracer to run; nobody can exec before create has returned anyway.
  std::thread([&] {
    for (;;) {
      unique_fd conn(::accept4(control->get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (conn) take_hand_in(conn.get(), tracer, notifier);
    }
  }).detach();

  // The init and its listener; EOF means create failed and there is nothing to watch.
  auto msg = recv_message(sock);
  if (!msg || msg->type != MsgType::request || msg->fds.size() != 1) {
    ::unlink(supervisor::socket_path(dir).c_str());
    _exit(1);
  }
  pid_t init = pid_t(std::atoi(msg->payload.c_str()));
  if (auto st = tracer.seize(init); !st) fail_setup(sock, st.error());
  if (r.exec.tpe) {
    auto uids = supervisor::read_uid_map(init);
    if (!uids) fail_setup(sock, uids.error());
    judge.set_uid_map(std::move(*uids));
  }
  // Nothing is judged before this: the listener is not watched yet.
  notifier.add(std::move(msg->fds[0]));
  (void)send_message(sock, MsgType::ready, 0, "");
  ::close(sock);
  tracer.run();
  // The container's last process is gone.
  ::unlink(supervisor::socket_path(dir).c_str());
  log_debug("supervisor of " + id + ": the container has no process left, exiting");
  _exit(0);
}

}  // namespace vigil
