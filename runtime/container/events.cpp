#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>

#include <chrono>
#include <sstream>

#include "runtime/base/file.hpp"
#include "runtime/base/json_parse.hpp"
#include "runtime/cgroup/oom_watch.hpp"
#include "runtime/cgroup/stats.hpp"
#include "runtime/container/container.hpp"
#include "runtime/container/handle.hpp"

namespace vigil {
namespace {

nlohmann::json event(const std::string& type, const std::string& id, nlohmann::json data = nullptr) {
  nlohmann::json e = {{"type", type}, {"id", id}};
  if (!data.is_null()) e["data"] = std::move(data);
  return e;
}

// A supervised container's audit.log, followed: every decision from the first on.
class AuditTail {
 public:
  explicit AuditTail(const std::string& path) : path_(path) {
    notify_ = unique_fd(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
    if (notify_) ::inotify_add_watch(notify_.get(), path.c_str(), IN_MODIFY);
  }
  int fd() const { return notify_ ? notify_.get() : -1; }
  // Emits each complete line not emitted yet.
  void drain(const std::string& id, const EventSink& emit) {
    char buf[4096];
    while (notify_ && ::read(notify_.get(), buf, sizeof buf) > 0) {
    }
    unique_fd f(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
    if (!f || ::lseek(f.get(), off_t(offset_), SEEK_SET) < 0) return;
    auto text = read_fd(f.get());
    if (!text) return;
    size_t end = text->rfind('\n');
    if (end == std::string::npos) return;
    std::istringstream lines(text->substr(0, end));
    for (std::string line; std::getline(lines, line);) {
      if (auto j = parse_json(line, "audit.log")) emit(event("audit", id, std::move(*j)));
    }
    offset_ += end + 1;
  }

 private:
  std::string path_;
  unique_fd notify_;
  size_t offset_ = 0;
};

}  // namespace

Status container_events(const std::string& root, const std::string& id, bool stats_once, int interval_ms,
                        const EventSink& emit) {
  auto c = TRY(Container::open(root, id, false));
  if (stats_once) {
    emit(event("stats", id, cgroup::read_stats(c.cgroup)));
    return {};
  }
  auto init = c.init();
  if (!init) return Error(ESRCH, "container " + id + " is not running");
  auto oom = cgroup::oom_notifier(c.cgroup);
  uint64_t ooms = cgroup::oom_kills(c.cgroup).value_or(0);
  AuditTail audit(c.dir.audit_path());
  audit.drain(id, emit);
  pollfd fds[3] = {{init->get(), POLLIN, 0}, {oom ? oom->get() : -1, POLLIN, 0}, {audit.fd(), POLLIN, 0}};
  auto next_stats = std::chrono::steady_clock::now();
  for (;;) {
    auto now = std::chrono::steady_clock::now();
    if (now >= next_stats) {
      emit(event("stats", id, cgroup::read_stats(c.cgroup)));
      next_stats = now + std::chrono::milliseconds(interval_ms);
    }
    int wait = int(std::chrono::duration_cast<std::chrono::milliseconds>(next_stats - now).count());
    if (::poll(fds, 3, wait) < 0 && errno != EINTR) return Error::from_errno("poll");
    if (fds[2].revents & POLLIN) audit.drain(id, emit);
    if (fds[1].revents & POLLIN) {
      cgroup::drain_oom_notifier(fds[1].fd);
      uint64_t count = cgroup::oom_kills(c.cgroup).value_or(ooms);
      if (count > ooms) emit(event("oom", id));
      ooms = count;
    }
    if (fds[0].revents & POLLIN) {
      // The OOM that killed the init may be counted a moment after it died.
      if (cgroup::oom_kills(c.cgroup).value_or(ooms) > ooms) emit(event("oom", id));
      audit.drain(id, emit);
      emit(event("exit", id));
      return {};
    }
  }
}

}  // namespace vigil
