#include <csignal>

#include "runtime/container/container.hpp"
#include "runtime/container/status.hpp"
#include "runtime/container/store.hpp"
#include "runtime/process/process_handle.hpp"

namespace vigil {

namespace {
constexpr int kKillWaitMs = 10000;
}

Status delete_container(const std::string& root, const std::string& id, bool force) {
  auto dir = TRY(ContainerDir::open(root, id));
  auto state = TRY(dir.load());
  std::string status = container_status(dir, state);
  if (status != "stopped") {
    if (!force) return Error(EBUSY, "cannot delete container " + id + " that is " + status + " (use --force)");
    if (auto proc = open_process(state.pid, state.start_time)) {
      TRY_CTX(send_signal(proc->get(), SIGKILL), "delete container " + id);
      if (!wait_exit(proc->get(), kKillWaitMs))
        return Error(ETIMEDOUT, "delete container " + id + ": init did not exit within 10s of SIGKILL");
    }
  }
  return with_context(dir.remove(), "delete container " + id);
}

}  // namespace vigil
