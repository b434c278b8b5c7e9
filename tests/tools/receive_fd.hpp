// For the test tools that play a client's receiving end: listen on a unix socket path (of any
// length: bound from its directory), take one connection, receive one message and its fd.
#pragma once

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

// Prints "listening" once the socket accepts connections, so a test can wait for it.
// Returns the fd that came with the message (data in `data`), or -1 after printing why.
inline int receive_fd(const std::string& path, std::string& data) {
  int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  auto slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  int dirfd = open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/%s", dirfd, name.c_str());
  unlink(addr.sun_path);
  if (dirfd < 0 || bind(srv, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 || listen(srv, 1) < 0) {
    perror(("bind " + path).c_str());
    return -1;
  }
  printf("listening\n");
  fflush(stdout);
  int conn = accept4(srv, nullptr, nullptr, SOCK_CLOEXEC);
  static char buf[65536];
  iovec iov{buf, sizeof buf};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (n <= 0 || !c || c->cmsg_type != SCM_RIGHTS) {
    fprintf(stderr, "no fd received on %s\n", path.c_str());
    return -1;
  }
  int fd;
  memcpy(&fd, CMSG_DATA(c), sizeof fd);
  data.assign(buf, size_t(n));
  close(conn);
  unlink(addr.sun_path);
  close(srv);
  close(dirfd);
  return fd;
}
