#include "runtime/supervisor/launch.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include "runtime/base/unix_socket.hpp"
#include "runtime/init/protocol.hpp"
#include "runtime/init/reexec.hpp"
#include "runtime/process/exec.hpp"
#include "runtime/process/process_handle.hpp"
#include "runtime/supervisor/supervisor_main.hpp"

namespace vigil::supervisor {
namespace {

Status expect_ready(int sock, const std::string& what) {
  auto reply = TRY_CTX(recv_message(sock), what);
  if (reply.type == MsgType::error) return Error(reply.err, reply.payload).context(what);
  if (reply.type != MsgType::ready) return Error(EPROTO, what + ": unexpected reply");
  return {};
}

// A fork, not an exec: create is single-threaded, and the supervisor starts from its image
// in a session of its own (the terminal's signals are not for it), with only the socket and
// the log kept (create's lock on the state dir, its fifos, are not the supervisor's to hold).
Result<Child> fork_supervisor(int sock, const LaunchRequest& r) {
  auto child = TRY(fork_child("the supervisor"));
  if (child.pid() == 0) {
    ::setsid();
    if (!close_fds_from(3, {sock, r.log})) _exit(1);
    supervisor_main(sock, r);
  }
  return child;
}

}  // namespace

std::string socket_path(const std::string& dir) { return dir + "/" + kSocketName; }

Result<Supervisor> Supervisor::start(const LaunchRequest& r) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) return Error::from_errno("socketpair");
  unique_fd sock(sv[0]), child_sock(sv[1]);
  Child child = TRY(fork_supervisor(child_sock.get(), r));
  return Supervisor(std::move(child), std::move(sock));
}

Result<Launched> Supervisor::hand_over(pid_t init, int listener) {
  int fds[] = {listener};
  TRY_CTX(send_message(sock_.get(), MsgType::request, 0, std::to_string(init), fds), "start the supervisor");
  auto start = process_start_time(child_.pid());
  if (!start) return Error(ESRCH, "the supervisor exited right after it started");
  return Launched{child_.pid(), *start};
}

Status Supervisor::ready() {
  TRY(expect_ready(sock_.get(), "start the supervisor"));
  (void)child_.release();  // it outlives us
  return {};
}

Status hand_in(const std::string& dir, pid_t pid, int listener) {
  auto sock = TRY_CTX(connect_unix(socket_path(dir)), "reach the container's supervisor");
  int fds[] = {listener};
  TRY_CTX(send_message(sock.get(), MsgType::request, 0, std::to_string(pid), fds), "hand the process to the supervisor");
  return expect_ready(sock.get(), "hand the process to the supervisor");
}

}  // namespace vigil::supervisor
