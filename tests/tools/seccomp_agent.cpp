// Test tool: a seccomp notify agent for listenerPath. It accepts one connection on SOCKET,
// writes the container process state it receives to STATE_FILE, and answers every
// notification with -ERRNO (default EHOSTDOWN) until the listener closes.
//   seccomp_agent SOCKET STATE_FILE [ERRNO]
#include <linux/seccomp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "tests/tools/receive_fd.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: seccomp_agent SOCKET STATE_FILE [ERRNO]\n");
    return 2;
  }
  int answer = argc > 3 ? atoi(argv[3]) : EHOSTDOWN;
  std::string state;
  int listener = receive_fd(argv[1], state);
  if (listener < 0) return 1;
  std::ofstream(argv[2]) << state << "\n";
  int answered = 0;
  for (;;) {
    pollfd p{listener, POLLIN, 0};
    if (poll(&p, 1, -1) < 0) continue;
    if (p.revents & (POLLHUP | POLLERR)) break;
    seccomp_notif req{};
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) continue;
    seccomp_notif_resp resp{};
    resp.id = req.id;
    resp.error = -answer;
    // ENOENT: the process went away or was interrupted while we answered; that is normal.
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0) answered++;
  }
  std::ofstream(std::string(argv[2]) + ".answered") << answered << "\n";
  return 0;
}
