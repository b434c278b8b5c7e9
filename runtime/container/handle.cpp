#include "runtime/container/handle.hpp"

#include <unistd.h>

#include "runtime/process/process_handle.hpp"

namespace vigil {

Result<Container> Container::open(const std::string& root, const std::string& id, bool lock) {
  auto dir = TRY(ContainerDir::open(root, id, lock));
  auto state = TRY(dir.load());
  auto cg = TRY(cgroup::Cgroup::from_json(state.cgroup));
  return Container{std::move(dir), std::move(state), std::move(cg)};
}

std::string Container::status() const {
  if (!init()) return "stopped";
  if (::access(dir.fifo_path().c_str(), F_OK) == 0) return "created";
  return cgroup.frozen() ? "paused" : "running";
}

std::optional<unique_fd> Container::init() const { return open_process(state.pid, state.start_time); }

}  // namespace vigil
