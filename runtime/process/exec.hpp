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

// The program's execve arguments, built ahead: the exec itself comes after the seccomp
// profile is loaded, where nothing may allocate.
class ExecCall {
 public:
  ExecCall(std::string path, std::vector<std::string> args, std::vector<std::string> env);
  // Moving keeps argv/envp valid (a moved vector keeps its elements where they are); a copy
  // would not.
  ExecCall(ExecCall&&) = default;
  ExecCall& operator=(ExecCall&&) = default;
  const std::string& path() const { return path_; }
  // execve with exactly the environment given; returns only on failure, with its errno.
  int exec() const;

 private:
  std::string path_;
  std::vector<std::string> args_, env_;
  std::vector<char*> argv_, envp_;
};

}  // namespace vigil
