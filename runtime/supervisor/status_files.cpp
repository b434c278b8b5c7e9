#include "runtime/supervisor/status_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "runtime/supervisor/tracee_files.hpp"

namespace vigil::supervisor {
namespace {

// The whole file from its start: one pread when it fits, as a status file does.
Result<std::string> read_whole(int fd) {
  std::string out(4096, '\0');
  for (;;) {
    ssize_t n = ::pread(fd, out.data(), out.size(), 0);
    if (n < 0) return Error::from_errno("pread status");
    if (size_t(n) < out.size()) return out.resize(size_t(n)), out;
    out.resize(out.size() * 2);
  }
}

}  // namespace

Result<std::string> StatusFiles::read(pid_t tid) {
  if (auto it = fds_.find(tid); it != fds_.end()) {
    if (auto text = read_whole(it->second.get())) return text;
    fds_.erase(it);
  }
  if (fds_.size() >= kMaxKept) fds_.clear();
  std::string rel = std::to_string(tid) + "/status";
  unique_fd fd(::openat(host_proc(), rel.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return Error::from_errno("open /proc/" + rel);
  auto text = TRY(read_whole(fd.get()));
  fds_.emplace(tid, std::move(fd));
  return text;
}

}  // namespace vigil::supervisor
