// The container's program: finding it, and the exec itself.
#pragma once

#include <string>
#include <vector>

#include "runtime/base/error.hpp"

namespace vigil {

// args[0] as execve will see it: a path as is, a bare name searched in PATH from `env`
// (runc's message when it is not found: `exec: "foo": executable file not found in $PATH`).
Result<std::string> find_executable(const std::string& arg0, const std::vector<std::string>& env);

// Everything above 2 + preserve_fds is closed on exec (CVE-2024-21626: no fd of the host
// may reach the container); the preserved ones are kept open across it.
Status prepare_fds(int preserve_fds);

// Closes every fd from `first` up, except those in `keep`: what the caller of create left
// open (other than stdio and --preserve-fds) never reaches the container's init.
Status close_fds_from(int first, std::vector<int> keep);

// chdir into the container's working directory and check it is inside the root.
Status enter_cwd(const std::string& cwd);

// execve with exactly `env`; returns only on failure.
Error exec_program(const std::string& path, const std::vector<std::string>& args, const std::vector<std::string>& env);

}  // namespace vigil
