// A container's state: what vigil keeps in <root>/<id>/state.json, and the runtime-spec
// state object that `vigil state` prints and hooks read on stdin.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "runtime/base/error.hpp"

namespace vigil::oci {

constexpr const char* kSpecVersion = "1.2.0";

struct ContainerState {
  std::string oci_version;  // of the container's config
  std::string id;
  pid_t pid = 0;
  uint64_t start_time = 0;  // of pid, from /proc/PID/stat: tells a recycled pid apart
  std::string bundle;
  std::string rootfs;
  std::string created;  // RFC 3339, UTC, nanoseconds
  std::string owner;
  std::map<std::string, std::string> annotations;
  nlohmann::json cgroup = nlohmann::json::array();  // runtime/cgroup's record of its directories
  nlohmann::json hooks;  // config.json's hooks, for poststart (start) and poststop (delete)
  pid_t supervisor_pid = 0;  // a supervised container's supervisor, 0 for none
  uint64_t supervisor_start = 0;
};

nlohmann::json to_json(const ContainerState& s);
Result<ContainerState> state_from_json(const std::string& text);
// The runtime-spec state: ociVersion, id, status, pid (while it runs), bundle, annotations,
// plus runc's rootfs, created and owner.
nlohmann::json public_state(const ContainerState& s, const std::string& status);

}  // namespace vigil::oci
