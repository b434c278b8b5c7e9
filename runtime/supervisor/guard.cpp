#include "runtime/supervisor/guard.hpp"

#include <fcntl.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>

#include "runtime/container/signal_all.hpp"
#include "runtime/init/reexec.hpp"
#include "runtime/process/exec.hpp"
#include "runtime/process/identity.hpp"

namespace vigil::supervisor {
namespace {

constexpr char kOver = 'o';

[[noreturn]] void guard_main(int from_supervisor, const cgroup::Cgroup& cg) {
  ::prctl(PR_SET_NAME, "vigil-guard", 0, 0, 0);
  if (!close_fds_from(3, {from_supervisor})) _exit(1);
  // Root's uid writes the cgroup's files; CAP_KILL reaches the container's processes.
  uint64_t keep = uint64_t(1) << CAP_KILL;
  if (!drop_bounding_set(0) || !set_capabilities(keep, keep, 0) || ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    _exit(1);
  char c = 0;
  ssize_t n;
  do n = ::read(from_supervisor, &c, 1);
  while (n < 0 && errno == EINTR);
  if (n == 1 && c == kOver) _exit(0);
  // The supervisor died. Frozen, no process can fork past the kill (where there is a
  // freezer: cgroup.kill needs none).
  bool frozen = cg.freeze(true).ok();
  (void)signal_all(cg, SIGKILL);
  if (frozen) (void)cg.freeze(false);
  _exit(0);
}

}  // namespace

Result<Guard> Guard::start(const cgroup::Cgroup& cg) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) < 0) return Error::from_errno("pipe for the guard");
  unique_fd from_supervisor(p[0]), to_guard(p[1]);
  auto child = TRY(fork_child("the guard"));
  if (child.pid() == 0) {
    to_guard.reset();
    guard_main(from_supervisor.get(), cg);
  }
  (void)child.release();  // it outlives us by design; the tracer's waitpid reaps it
  return Guard(std::move(to_guard));
}

void Guard::dismiss() {
  (void)!::write(to_guard_.get(), &kOver, 1);
  to_guard_.reset();
}

}  // namespace vigil::supervisor
