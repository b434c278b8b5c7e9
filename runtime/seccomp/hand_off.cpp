#include "runtime/seccomp/hand_off.hpp"

#include "oci/state.hpp"
#include "runtime/base/unix_socket.hpp"

namespace vigil::seccomp {

nlohmann::json process_state(int pid, const std::string& metadata, const nlohmann::json& state) {
  return {{"ociVersion", oci::kSpecVersion}, {"fds", {"seccompFd"}}, {"pid", pid}, {"metadata", metadata},
          {"state", state}};
}

Status hand_off_listener(const std::string& listener_path, int listener_fd, const nlohmann::json& process_state) {
  std::string what = "seccomp listenerPath " + listener_path;
  auto sock = TRY_CTX(connect_unix(listener_path), "seccomp listenerPath");
  std::string payload = process_state.dump();
  int fds[] = {listener_fd};
  size_t n = TRY_CTX(send_with_fds(sock.get(), payload, fds), "send the listener to " + what);
  if (n != payload.size()) return Error(EMSGSIZE, "send the listener to " + what + ": short write");
  return {};
}

}  // namespace vigil::seccomp
