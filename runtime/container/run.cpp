#include "runtime/base/log.hpp"
#include "runtime/container/container.hpp"
#include "runtime/container/wait.hpp"

namespace vigil {

Result<int> run_container(const CreateOptions& o, bool detach) {
  sigset_t set = forwarded_signals(), old;
  // Blocked from the start, so a signal sent while we set up is delivered to the container, not lost.
  if (!detach) ::sigprocmask(SIG_BLOCK, &set, &old);
  auto init = create_container(o);
  if (!init) return std::move(init).error();
  if (auto st = start_container(o.root, o.id); !st) {
    (void)delete_container(o.root, o.id, true);
    return std::move(st).error();
  }
  if (detach) return 0;
  auto code = wait_forwarding(init->pidfd.get(), set);
  if (auto st = delete_container(o.root, o.id, true); !st) log_warn(st.error().str());
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  return code;
}

}  // namespace vigil
