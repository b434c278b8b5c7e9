#include "runtime/terminal/console_socket.hpp"

#include <sys/socket.h>

#include <vector>

#include "runtime/base/unix_socket.hpp"

namespace vigil {

Status check_terminal_options(bool terminal, bool detached, const std::string& console_socket) {
  if (terminal && detached && console_socket.empty())
    return Error(EINVAL, "process.terminal is true, but a detached process's terminal needs --console-socket");
  if (!console_socket.empty() && !terminal)
    return Error(EINVAL, "--console-socket needs a terminal (process.terminal or --tty)");
  if (!console_socket.empty() && !detached)
    return Error(EINVAL, "--console-socket is only for a detached process (create, run -d, exec -d)");
  return {};
}

Result<ConsoleChannel> open_console_channel(const std::string& console_socket) {
  ConsoleChannel ch;
  if (!console_socket.empty()) {
    ch.theirs = TRY_CTX(connect_unix(console_socket), "--console-socket");
    return ch;
  }
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) return Error::from_errno("socketpair for the terminal");
  ch.ours = unique_fd(sv[0]);
  ch.theirs = unique_fd(sv[1]);
  return ch;
}

Result<unique_fd> ConsoleChannel::take_master() {
  theirs.reset();
  if (!ours) return unique_fd();
  return receive_console(ours.get());
}

Status send_console(int sock, int master) {
  int fds[] = {master};
  TRY_CTX(send_with_fds(sock, "/dev/ptmx", fds), "send the terminal to the console socket");
  return {};
}

Result<unique_fd> receive_console(int sock) {
  char name[256];
  std::vector<unique_fd> fds;
  TRY_CTX(recv_with_fds(sock, name, sizeof name, fds), "receive the container's terminal");
  if (fds.size() != 1) return Error(EPROTO, "receive the container's terminal: expected one fd, got " + std::to_string(fds.size()));
  return std::move(fds[0]);
}

}  // namespace vigil
