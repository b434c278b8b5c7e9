// What the parent tells the init: the validated spec and the runtime's own choices.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/base/error.hpp"
#include "runtime/landlock/landlock.hpp"
#include "runtime/rootfs/rootfs.hpp"
#include "runtime/seccomp/program.hpp"

namespace vigil {

struct InitRequest {
  std::string id;
  std::string bundle;
  std::string rootfs;  // absolute
  bool exec = false;  // vigil exec: join the container instead of making one
  bool no_pivot = false;
  bool new_keyring = true;  // a session keyring of the container's own, unless --no-new-keyring
  bool log_json = false;  // the log fd that comes with the request takes JSON lines
  // Which fds come with the request, in this order: the first (always), exec_done, log, console.
  bool has_exec_done = false;
  bool has_log = false;
  bool has_console = false;  // a socket for the terminal's master (process.terminal)
  int preserve_fds = 0;
  std::vector<CgroupBind> cgroups;
  std::optional<seccomp::Program> seccomp;     // linux.seccomp, compiled by the runtime
  std::optional<seccomp::Program> supervisor;  // a supervised container's notify filter
  landlock::Ruleset landlock;                  // the paths section's rules and scopes Landlock holds
  nlohmann::json spec;  // config.json as read; re-validated by the init
};

std::string encode_request(const InitRequest& r);
Result<InitRequest> decode_request(const std::string& text);

}  // namespace vigil
