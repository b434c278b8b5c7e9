// The --console-socket hand-off, as runc does it: one message whose data is the master's
// name and whose SCM_RIGHTS carry the master (conmon and the containerd shim read it so).
#pragma once

#include <string>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"

namespace vigil {

// runc's rules: a detached process's terminal must go to a console socket, and a console
// socket is only for a detached process with a terminal.
Status check_terminal_options(bool terminal, bool detached, const std::string& console_socket);

// Where the init sends the master: `theirs` goes with the init request. With a console socket
// it is a connection to it; without, one end of a socketpair whose other end, `ours`, vigil
// reads the master from to proxy the terminal itself.
struct ConsoleChannel {
  unique_fd ours;
  unique_fd theirs;
  // Once the init has `theirs`: closes it, and returns the master when it came to us (an
  // empty fd when it went to a console socket, or there is no terminal).
  Result<unique_fd> take_master();
};
Result<ConsoleChannel> open_console_channel(const std::string& console_socket);

Status send_console(int sock, int master);
Result<unique_fd> receive_console(int sock);

}  // namespace vigil
