// Test tool: a seccomp notify agent for listenerPath. It accepts one connection on SOCKET,
// writes the container process state it receives to STATE_FILE, and answers every
// notification with -ERRNO (default EHOSTDOWN) until the listener closes.
//   seccomp_agent SOCKET STATE_FILE [ERRNO]
#include <linux/seccomp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: seccomp_agent SOCKET STATE_FILE [ERRNO]\n");
    return 2;
  }
  int answer = argc > 3 ? atoi(argv[3]) : EHOSTDOWN;
  int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  strncpy(addr.sun_path, argv[1], sizeof addr.sun_path - 1);
  unlink(argv[1]);
  if (bind(srv, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 || listen(srv, 1) < 0) {
    perror("bind");
    return 1;
  }
  printf("listening\n");
  fflush(stdout);
  int conn = accept4(srv, nullptr, nullptr, SOCK_CLOEXEC);
  char buf[65536];
  iovec iov{buf, sizeof buf - 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (n <= 0 || !c || c->cmsg_type != SCM_RIGHTS) {
    fprintf(stderr, "no listener fd received\n");
    return 1;
  }
  int listener;
  memcpy(&listener, CMSG_DATA(c), sizeof listener);
  std::ofstream(argv[2]) << std::string(buf, size_t(n)) << "\n";
  close(conn);
  close(srv);
  unlink(argv[1]);
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
