// SCMP_ACT_NOTIFY with listenerPath (runtime-spec config-linux.md): the runtime connects to
// the agent's unix socket and sends the container process state, with the listener fd as
// SCM_RIGHTS ancillary data, one message per connection.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "runtime/base/error.hpp"

namespace vigil::seccomp {

// {"ociVersion", "fds": ["seccompFd"], "pid", "metadata", "state"}
nlohmann::json process_state(int pid, const std::string& metadata, const nlohmann::json& state);
Status hand_off_listener(const std::string& listener_path, int listener_fd, const nlohmann::json& process_state);

}  // namespace vigil::seccomp
