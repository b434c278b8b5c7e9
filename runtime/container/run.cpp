#include <optional>

#include "runtime/base/log.hpp"
#include "runtime/container/container.hpp"
#include "runtime/container/wait.hpp"

namespace vigil {

Result<int> run_container(const CreateOptions& o, bool detach) {
  sigset_t set = forwarded_signals(), old;
  // Blocked from the start, so a signal sent while we set up is delivered to the container, not lost.
  if (!detach) ::sigprocmask(SIG_BLOCK, &set, &old);
  CreateOptions opts = o;
  opts.foreground = !detach;
  auto created = create_container(opts);
  if (!created) return std::move(created).error();
  if (auto st = start_container(o.root, o.id); !st) {
    (void)delete_container(o.root, o.id, true);
    return std::move(st).error();
  }
  if (detach) return 0;
  std::optional<TerminalProxy> tty;
  if (created->terminal) tty.emplace(std::move(created->terminal));
  auto code = wait_forwarding(created->init.pidfd.get(), set, tty ? &*tty : nullptr);
  tty.reset();
  if (auto st = delete_container(o.root, o.id, true); !st) log_warn(st.error().str());
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  return code;
}

}  // namespace vigil
