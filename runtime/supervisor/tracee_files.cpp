#include "runtime/supervisor/tracee_files.hpp"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <charconv>
#include <sstream>

#include "runtime/base/file.hpp"
#include "runtime/supervisor/tracee_memory.hpp"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL  // Linux 6.9
#endif

namespace vigil::supervisor {
namespace {

Result<unique_fd> proven(const Notified& n, unique_fd fd, const std::string& what) {
  if (!fd) return Error::from_errno(what + " of pid " + std::to_string(n.pid));
  if (!notification_valid(n.listener, n.id)) return Error(ENOENT, "pid " + std::to_string(n.pid) + " left the syscall");
  return fd;
}

std::string proc(const Notified& n, const char* what) { return std::to_string(n.pid) + "/" + what; }

}  // namespace

int host_proc() {
  static const int fd = ::open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
  return fd;
}

Result<unique_fd> open_pidfd(const Notified& n) {
  // The notifying thread may not lead its process: a thread pidfd where the kernel has them.
  int fd = int(::syscall(SYS_pidfd_open, n.pid, PIDFD_THREAD));
  if (fd < 0 && errno == EINVAL) fd = int(::syscall(SYS_pidfd_open, n.pid, 0));
  return proven(n, unique_fd(fd), "pidfd_open");
}

Result<unique_fd> open_proc_dir(const Notified& n, const char* which) {
  unique_fd fd(::openat(host_proc(), proc(n, which).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  return proven(n, std::move(fd), std::string("open ") + which);
}

Result<unique_fd> take_fd(const Notified& n, int fd) {
  auto pidfd = TRY(open_pidfd(n));
  return proven(n, unique_fd(int(::syscall(SYS_pidfd_getfd, pidfd.get(), fd, 0))), "pidfd_getfd " + std::to_string(fd));
}

Result<std::string> read_proc_file(pid_t pid, const char* name) {
  std::string rel = std::to_string(pid) + "/" + name;
  unique_fd fd(::openat(host_proc(), rel.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return Error::from_errno("open /proc/" + rel);
  return read_fd(fd.get());
}

Result<std::string> status_field(pid_t pid, std::string_view name) {
  return with_context(status_value(TRY(read_proc_file(pid, "status")), name), "/proc/" + std::to_string(pid) + "/status");
}

Result<std::string> status_value(std::string_view text, std::string_view name) {
  std::string key = std::string(name) + ":";
  // At the start of a line: the first, or after a newline.
  size_t at;
  if (text.rfind(key, 0) == 0) at = key.size();
  else if ((at = text.find("\n" + key)) != std::string_view::npos) at += 1 + key.size();
  else return Error(ENOENT, "no " + std::string(name));
  at = text.find_first_not_of(" \t", at);
  if (at == std::string::npos) return std::string();
  auto end = text.find('\n', at);
  return std::string(text.substr(at, end == std::string::npos ? std::string::npos : end - at));
}

std::string describe_process(pid_t pid) {
  std::string out = "pid " + std::to_string(pid);
  auto comm = read_proc_file(pid, "comm");
  if (comm && !comm->empty()) out += " (" + comm->substr(0, comm->find('\n')) + ")";
  return out;
}

std::vector<uint64_t> status_numbers(std::string_view status, std::string_view name, int base) {
  std::vector<uint64_t> out;
  std::string text = status_value(status, name).value_or("");
  for (size_t at = 0; at < text.size();) {
    at = text.find_first_not_of(" \t", at);
    if (at == std::string::npos) break;
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(text.data() + at, text.data() + text.size(), v, base);
    if (ec != std::errc()) break;
    out.push_back(v);
    at = size_t(end - text.data());
  }
  return out;
}

Result<bool> leads_pid_namespace(pid_t pid) {
  auto ns = status_numbers(TRY(read_proc_file(pid, "status")), "NSpid");
  if (ns.empty()) return Error(ENOENT, "/proc/" + std::to_string(pid) + "/status has no NSpid");
  return ns.back() == 1;
}

std::optional<uint32_t> UidMap::container_uid(uint32_t host_uid) const {
  for (const auto& r : ranges)
    if (host_uid >= r.outside && host_uid - r.outside < r.count) return r.inside + (host_uid - r.outside);
  return std::nullopt;
}

std::optional<uint32_t> UidMap::host_uid(uint32_t inside) const {
  for (const auto& r : ranges)
    if (inside >= r.inside && inside - r.inside < r.count) return r.outside + (inside - r.inside);
  return std::nullopt;
}

Result<UidMap> read_uid_map(pid_t init) {
  return parse_uid_map(TRY(read_proc_file(init, "uid_map")));
}

UidMap parse_uid_map(std::string_view text) {
  UidMap m;
  std::istringstream in{std::string(text)};
  UidMap::Range r;
  while (in >> r.inside >> r.outside >> r.count) m.ranges.push_back(r);
  return m;
}

}  // namespace vigil::supervisor
