#include <poll.h>

#include <chrono>

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
  pollfd fds[2] = {{init->get(), POLLIN, 0}, {oom ? oom->get() : -1, POLLIN, 0}};
  auto next_stats = std::chrono::steady_clock::now();
  for (;;) {
    auto now = std::chrono::steady_clock::now();
    if (now >= next_stats) {
      emit(event("stats", id, cgroup::read_stats(c.cgroup)));
      next_stats = now + std::chrono::milliseconds(interval_ms);
    }
    int wait = int(std::chrono::duration_cast<std::chrono::milliseconds>(next_stats - now).count());
    if (::poll(fds, 2, wait) < 0 && errno != EINTR) return Error::from_errno("poll");
    if (fds[1].revents & POLLIN) {
      cgroup::drain_oom_notifier(fds[1].fd);
      uint64_t count = cgroup::oom_kills(c.cgroup).value_or(ooms);
      if (count > ooms) emit(event("oom", id));
      ooms = count;
    }
    if (fds[0].revents & POLLIN) {
      // The OOM that killed the init may be counted a moment after it died.
      if (cgroup::oom_kills(c.cgroup).value_or(ooms) > ooms) emit(event("oom", id));
      emit(event("exit", id));
      return {};
    }
  }
}

}  // namespace vigil
