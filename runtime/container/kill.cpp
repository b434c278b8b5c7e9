#include "runtime/container/container.hpp"
#include "runtime/container/status.hpp"
#include "runtime/container/store.hpp"
#include "runtime/process/process_handle.hpp"

namespace vigil {

Status kill_container(const std::string& root, const std::string& id, int sig, bool all) {
  // --all reaches every process through the pid namespace or the cgroup; until cgroups
  // land, signalling the init of a pid namespace is what reaches them all.
  (void)all;
  auto dir = TRY(ContainerDir::open(root, id));
  auto state = TRY(dir.load());
  auto proc = open_process(state.pid, state.start_time);
  if (!proc) return Error(ESRCH, "cannot kill container " + id + ": container not running");
  return with_context(send_signal(proc->get(), sig), "kill container " + id);
}

}  // namespace vigil
