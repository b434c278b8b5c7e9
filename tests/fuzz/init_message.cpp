// The parent<->init protocol: messages read from the socket, the init request's CBOR, and
// the init_pid payload, from bytes as they come.
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "runtime/base/unique_fd.hpp"
#include "runtime/init/protocol.hpp"
#include "runtime/init/request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  (void)vigil::decode_request(bytes);
  (void)vigil::decode_pid(bytes);
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) return 0;
  vigil::unique_fd ours(sv[0]), theirs(sv[1]);
  // A socket buffer holds far more than libFuzzer's inputs (4 KiB by default).
  if (::write(theirs.get(), data, size) != ssize_t(size)) return 0;
  theirs.reset();
  while (auto m = vigil::recv_message(ours.get())) {
    if (m->type == vigil::MsgType::request) (void)vigil::decode_request(m->payload);
    if (m->type == vigil::MsgType::init_pid) (void)vigil::decode_pid(m->payload);
  }
  return 0;
}
