#include "runtime/init/protocol.hpp"

#include <unistd.h>

#include <charconv>

#include "runtime/base/file.hpp"
#include "runtime/base/unix_socket.hpp"

namespace vigil {
namespace {

struct Header {
  uint32_t type;
  int32_t err;
  uint32_t len;
};

constexpr uint32_t kMaxPayload = 64u << 20;

}  // namespace

Status send_message(int sock, MsgType type, int32_t err, std::string_view payload, std::span<const int> fds) {
  Header h{uint32_t(type), err, uint32_t(payload.size())};
  std::string data(reinterpret_cast<const char*>(&h), sizeof h);
  data.append(payload);
  size_t sent = TRY_CTX(send_with_fds(sock, data, fds), "send message");
  // The fds went with the first byte; whatever the kernel did not take is plain data now.
  return write_all(sock, std::string_view(data).substr(sent), "send message");
}

Result<Message> recv_message(int sock) {
  Header h{};
  Message m;
  size_t n = TRY_CTX(recv_with_fds(sock, &h, sizeof h, m.fds), "receive message");
  if (n == 0) return Error(0, "EOF");
  if (n < sizeof h) TRY(read_exact(sock, reinterpret_cast<char*>(&h) + n, sizeof h - n, "receive message"));
  if (h.len > kMaxPayload) return Error(EPROTO, "message too large");
  m.type = MsgType(h.type);
  m.err = h.err;
  m.payload.resize(h.len);
  if (h.len) TRY(read_exact(sock, m.payload.data(), h.len, "receive message"));
  return m;
}

Result<pid_t> decode_pid(std::string_view payload) {
  pid_t pid = 0;
  auto [end, ec] = std::from_chars(payload.data(), payload.data() + payload.size(), pid);
  if (ec != std::errc() || end != payload.data() + payload.size() || pid <= 0)
    return Error(EPROTO, "init_pid: not a pid");
  return pid;
}

void init_fail(int sock, const Error& err) {
  (void)send_message(sock, MsgType::error, err.code(), err.what());
  _exit(1);
}

}  // namespace vigil
