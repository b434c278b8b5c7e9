#include "runtime/supervisor/expected_images.hpp"

namespace vigil::supervisor {

void ExpectedImages::put(pid_t tid, ExpectedImage e) {
  std::lock_guard lock(mu_);
  by_tid_[tid] = std::move(e);
}

std::optional<ExpectedImage> ExpectedImages::take(pid_t tid) {
  std::lock_guard lock(mu_);
  auto it = by_tid_.find(tid);
  if (it == by_tid_.end()) return std::nullopt;
  ExpectedImage e = std::move(it->second);
  by_tid_.erase(it);
  return e;
}

void ExpectedImages::forget(pid_t tid) {
  std::lock_guard lock(mu_);
  by_tid_.erase(tid);
}

}  // namespace vigil::supervisor
