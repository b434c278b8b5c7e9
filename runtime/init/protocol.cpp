#include "runtime/init/protocol.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "runtime/base/file.hpp"

namespace vigil {
namespace {

struct Header {
  uint32_t type;
  int32_t err;
  uint32_t len;
};

constexpr size_t kMaxFds = 8;
constexpr uint32_t kMaxPayload = 64u << 20;

}  // namespace

Status send_message(int sock, MsgType type, int32_t err, std::string_view payload, std::span<const int> fds) {
  Header h{uint32_t(type), err, uint32_t(payload.size())};
  iovec iov[2] = {{&h, sizeof h}, {const_cast<char*>(payload.data()), payload.size()}};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)] = {};
  msghdr msg{};
  msg.msg_iov = iov;
  msg.msg_iovlen = payload.empty() ? 1 : 2;
  if (!fds.empty()) {
    if (fds.size() > kMaxFds) return Error(EINVAL, "too many fds in one message");
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
  }
  ssize_t n;
  do n = ::sendmsg(sock, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0) return Error::from_errno("send message");
  // The fds went with the first byte; whatever the kernel did not take is plain data now.
  size_t sent = size_t(n);
  if (sent < sizeof h) TRY(write_all(sock, std::string_view(reinterpret_cast<char*>(&h) + sent, sizeof h - sent), "send message"));
  size_t body_sent = sent > sizeof h ? sent - sizeof h : 0;
  return write_all(sock, payload.substr(body_sent), "send message");
}

Result<Message> recv_message(int sock) {
  Header h{};
  Message m;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)];
  iovec iov{&h, sizeof h};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0) return Error::from_errno("receive message");
  if (n == 0) return Error(0, "EOF");
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; i++) {
      int fd;
      memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      m.fds.emplace_back(fd);
    }
  }
  if (size_t(n) < sizeof h) TRY(read_exact(sock, reinterpret_cast<char*>(&h) + n, sizeof h - size_t(n), "receive message"));
  if (h.len > kMaxPayload) return Error(EPROTO, "message too large");
  m.type = MsgType(h.type);
  m.err = h.err;
  m.payload.resize(h.len);
  if (h.len) TRY(read_exact(sock, m.payload.data(), h.len, "receive message"));
  return m;
}

void init_fail(int sock, const Error& err) {
  (void)send_message(sock, MsgType::error, err.code(), err.what());
  _exit(1);
}

}  // namespace vigil
