#include "runtime/seccomp/hand_off.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "oci/state.hpp"
#include "runtime/base/unique_fd.hpp"

namespace vigil::seccomp {

nlohmann::json process_state(int pid, const std::string& metadata, const nlohmann::json& state) {
  return {{"ociVersion", oci::kSpecVersion}, {"fds", {"seccompFd"}}, {"pid", pid}, {"metadata", metadata},
          {"state", state}};
}

Status hand_off_listener(const std::string& listener_path, int listener_fd, const nlohmann::json& process_state) {
  std::string what = "seccomp listenerPath " + listener_path;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (listener_path.size() >= sizeof addr.sun_path) return Error(ENAMETOOLONG, what);
  memcpy(addr.sun_path, listener_path.c_str(), listener_path.size() + 1);
  unique_fd sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!sock) return Error::from_errno("socket for " + what);
  if (::connect(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0)
    return Error::from_errno("connect to " + what);
  std::string payload = process_state.dump();
  iovec iov{payload.data(), payload.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &listener_fd, sizeof(int));
  ssize_t n;
  do n = ::sendmsg(sock.get(), &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0) return Error::from_errno("send the listener to " + what);
  if (size_t(n) != payload.size()) return Error(EMSGSIZE, "send the listener to " + what + ": short write");
  return {};
}

}  // namespace vigil::seccomp
