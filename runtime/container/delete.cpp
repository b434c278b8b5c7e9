#include <sys/syscall.h>
#include <sys/wait.h>

#include <csignal>

#include "runtime/container/container.hpp"
#include "runtime/container/handle.hpp"
#include "runtime/container/lifecycle_hooks.hpp"
#include "runtime/container/signal_all.hpp"
#include "runtime/process/process_handle.hpp"

namespace vigil {

namespace {
constexpr int kKillWaitMs = 10000;
constexpr int kSupervisorExitMs = 2000;

// With the container's processes gone the supervisor exits by itself; one that does not
// is killed, so nothing of the container outlives delete.
void stop_supervisor(const oci::ContainerState& s) {
  if (!s.supervisor_pid) return;
  if (auto sup = open_process(s.supervisor_pid, s.supervisor_start); sup && !wait_exit(sup->get(), kSupervisorExitMs)) {
    (void)send_signal(sup->get(), SIGKILL);
    (void)wait_exit(sup->get(), kSupervisorExitMs);
  }
  // `vigil run` forked it, and reaps it here (it has exited: this waits only for the
  // kernel to finish its exit); for anyone else it is not a child, and waitid says ECHILD
  // at once. A zombie's pid cannot have been reused.
  unique_fd zombie(int(::syscall(SYS_pidfd_open, s.supervisor_pid, 0)));
  siginfo_t info{};
  if (zombie) (void)::waitid(idtype_t(P_PIDFD), id_t(zombie.get()), &info, WEXITED);
}
}

Status delete_container(const std::string& root, const std::string& id, bool force) {
  auto opened = Container::open(root, id);
  if (!opened && opened.error().code() == ENOENT && force) {
    // As runc: --force of a container that is not there succeeds, and sweeps up what a
    // create that died half-way left.
    return remove_stray(root, id);
  }
  if (!opened) return std::move(opened).error();
  Container& c = *opened;
  std::string status = c.status();
  // A created container is deleted as runc does, its init killed: containerd's shim deletes
  // a task that never started without --force. A running or paused one needs --force.
  if (status != "stopped" && status != "created" && !force)
    return Error(EBUSY, "cannot delete container " + id + " that is " + status + " (use --force)");
  if (auto init = c.init()) {
    // A frozen process cannot die: thaw it after the SIGKILL is queued.
    TRY_CTX(signal_all(c.cgroup, SIGKILL), "delete container " + id);
    // ESRCH: it exited since its pidfd was opened, which is what the kill is for.
    if (auto sent = send_signal(init->get(), SIGKILL); !sent && sent.error().code() != ESRCH)
      return std::move(sent).error().context("delete container " + id);
    if (status == "paused") TRY_CTX(c.cgroup.freeze(false), "delete container " + id);
    if (!wait_exit(init->get(), kKillWaitMs))
      return Error(ETIMEDOUT, "delete container " + id + ": init did not exit within 10s of SIGKILL");
  }
  // Processes that outlived the init (no pid namespace) go too, then the cgroup.
  TRY_CTX(signal_all(c.cgroup, SIGKILL), "delete container " + id);
  TRY_CTX(c.cgroup.destroy(), "delete container " + id);
  stop_supervisor(c.state);
  keep_learned_log(c.dir, root);
  TRY_CTX(c.dir.remove(), "delete container " + id);
  run_post_hooks("poststop", c.state);
  return {};
}

}  // namespace vigil
