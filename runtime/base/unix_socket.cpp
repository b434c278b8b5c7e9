#include "runtime/base/unix_socket.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cstring>

#include "runtime/base/file.hpp"

namespace vigil {
namespace {

constexpr size_t kMaxFds = 8;

// Connects to `path` (short enough for sun_path); errors name `shown`.
Status connect_to(int sock, const std::string& path, const std::string& shown) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return Error(ENAMETOOLONG, "connect to " + shown);
  memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int r;
  do r = ::connect(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  while (r < 0 && errno == EINTR);
  if (r < 0) return Error::from_errno("connect to " + shown);
  return {};
}

// `path` as sun_path takes it: as is when short enough, else through an fd of its directory
// (kept open in `dirfd` while the address is in use).
Result<std::string> address_of(const std::string& path, unique_fd& dirfd) {
  if (path.size() < sizeof(sockaddr_un::sun_path)) return path;
  auto slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  dirfd = TRY(open_fd(dir, O_PATH | O_DIRECTORY));
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  return "/proc/self/fd/" + std::to_string(dirfd.get()) + "/" + name;
}

}  // namespace

Result<unique_fd> connect_unix(const std::string& path) {
  unique_fd sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!sock) return Error::from_errno("socket for " + path);
  unique_fd dirfd;
  TRY(connect_to(sock.get(), TRY(address_of(path, dirfd)), path));
  return sock;
}

Result<unique_fd> listen_unix(const std::string& path) {
  unique_fd sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!sock) return Error::from_errno("socket for " + path);
  unique_fd dirfd;
  std::string address = TRY(address_of(path, dirfd));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  memcpy(addr.sun_path, address.c_str(), address.size() + 1);
  ::unlink(address.c_str());
  // Created with no access for group and others, never briefly open to them.
  mode_t old = ::umask(0177);
  int rc = ::bind(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::umask(old);
  if (rc < 0 || ::listen(sock.get(), 8) < 0) return Error::from_errno("listen on " + path);
  return sock;
}

Result<size_t> send_with_fds(int sock, std::string_view data, std::span<const int> fds) {
  if (fds.size() > kMaxFds) return Error(EINVAL, "too many fds in one message");
  iovec iov{const_cast<char*>(data.data()), data.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (!fds.empty()) {
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
  if (n < 0) return Error::from_errno("sendmsg");
  return size_t(n);
}

Result<size_t> recv_with_fds(int sock, void* buf, size_t len, std::vector<unique_fd>& fds) {
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)];
  iovec iov{buf, len};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0) return Error::from_errno("recvmsg");
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; i++) {
      int fd;
      memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      fds.emplace_back(fd);
    }
  }
  if (msg.msg_flags & MSG_CTRUNC) return Error(EPROTO, "recvmsg: fds were dropped (control data truncated)");
  return size_t(n);
}

}  // namespace vigil
