#include "runtime/container/container.hpp"
#include "runtime/container/handle.hpp"
#include "runtime/container/signal_all.hpp"
#include "runtime/process/process_handle.hpp"

namespace vigil {

Status kill_container(const std::string& root, const std::string& id, int sig, bool all) {
  auto c = TRY(Container::open(root, id));
  auto init = c.init();
  if (!init) return Error(ESRCH, "cannot kill container " + id + ": container not running");
  if (all) return with_context(signal_all(c.cgroup, sig), "kill container " + id);
  return with_context(send_signal(init->get(), sig), "kill container " + id);
}

}  // namespace vigil
