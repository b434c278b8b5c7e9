#include "runtime/process/process_handle.hpp"

#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <sstream>

#include "runtime/base/file.hpp"

namespace vigil {

std::optional<std::string> stat_field(std::string_view stat, int n) {
  auto close = stat.rfind(')');
  if (close == std::string_view::npos || n < 3) return std::nullopt;
  std::istringstream in{std::string(stat.substr(close + 1))};
  std::string field;
  for (int i = 3; i <= n; i++)
    if (!(in >> field)) return std::nullopt;
  return field;
}

std::optional<uint64_t> process_start_time(pid_t pid) {
  auto stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return std::nullopt;
  auto state = stat_field(*stat, 3);
  if (!state || *state == "Z" || *state == "X") return std::nullopt;
  auto start = stat_field(*stat, 22);
  if (!start) return std::nullopt;
  uint64_t value = 0;
  if (!(std::istringstream(*start) >> value)) return std::nullopt;
  return value;
}

std::optional<unique_fd> open_process(pid_t pid, uint64_t start_time) {
  if (pid <= 0) return std::nullopt;
  unique_fd fd(int(::syscall(SYS_pidfd_open, pid, 0)));
  if (!fd) return std::nullopt;
  if (process_start_time(pid) != start_time) return std::nullopt;
  return fd;
}

Status send_signal(int pidfd, int sig) {
  if (::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0) < 0) return Error::from_errno("send signal " + std::to_string(sig));
  return {};
}

bool wait_exit(int pidfd, int timeout_ms) {
  pollfd p{pidfd, POLLIN, 0};
  for (;;) {
    int rc = ::poll(&p, 1, timeout_ms);
    if (rc < 0 && errno == EINTR) continue;
    return rc > 0;
  }
}

}  // namespace vigil
