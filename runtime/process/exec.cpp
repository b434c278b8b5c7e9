#include "runtime/process/exec.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <utility>

namespace vigil {
namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

bool is_executable_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

Result<std::string> find_executable(const std::string& arg0, const std::vector<std::string>& env) {
  if (arg0.find('/') != std::string::npos) {
    struct stat st;
    if (::stat(arg0.c_str(), &st) < 0) return Error::from_errno("exec: \"" + arg0 + "\"");
    if (!S_ISREG(st.st_mode)) return Error(EACCES, "exec: \"" + arg0 + "\": not a regular file");
    return arg0;
  }
  std::string path = kDefaultPath;
  for (const auto& e : env)
    if (e.rfind("PATH=", 0) == 0) path = e.substr(5);
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find(':', i);
    if (j == std::string::npos) j = path.size();
    std::string dir = j > i ? path.substr(i, j - i) : ".";
    std::string candidate = dir + "/" + arg0;
    if (is_executable_file(candidate)) return candidate;
    i = j + 1;
  }
  return Error(ENOENT, "exec: \"" + arg0 + "\": executable file not found in $PATH");
}

Status prepare_fds(int preserve_fds) {
  unsigned first = 3 + unsigned(preserve_fds);
  if (::syscall(SYS_close_range, first, UINT_MAX, CLOSE_RANGE_CLOEXEC) < 0) return Error::from_errno("close_range");
  for (int fd = 3; fd < int(first); fd++) {
    int flags = ::fcntl(fd, F_GETFD);
    if (flags >= 0) ::fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
  }
  return {};
}

Status close_fds_from(int first, std::vector<int> keep) {
  std::sort(keep.begin(), keep.end());
  unsigned from = unsigned(first);
  for (int k : keep) {
    if (k < first) continue;
    if (unsigned(k) > from && ::syscall(SYS_close_range, from, unsigned(k) - 1, 0) < 0)
      return Error::from_errno("close_range");
    from = unsigned(k) + 1;
  }
  if (::syscall(SYS_close_range, from, UINT_MAX, 0) < 0) return Error::from_errno("close_range");
  return {};
}

Status enter_cwd(const std::string& cwd) {
  if (::chdir(cwd.c_str()) < 0) return Error::from_errno("chdir to cwd " + cwd);
  // A cwd reached through a leaked fd of the host reads as "(unreachable)" or fails.
  char buf[PATH_MAX];
  if (!::getcwd(buf, sizeof buf) || buf[0] != '/') return Error(EPERM, "cwd " + cwd + " is outside the container's root");
  return {};
}

ExecCall::ExecCall(std::string path, std::vector<std::string> args, std::vector<std::string> env)
    : path_(std::move(path)), args_(std::move(args)), env_(std::move(env)) {
  for (auto& a : args_) argv_.push_back(a.data());
  argv_.push_back(nullptr);
  for (auto& e : env_) envp_.push_back(e.data());
  envp_.push_back(nullptr);
}

int ExecCall::exec() const {
  ::execve(path_.c_str(), argv_.data(), envp_.data());
  return errno;
}

}  // namespace vigil
