#include <fcntl.h>
#include <unistd.h>

#include "runtime/base/file.hpp"
#include "runtime/container/container.hpp"
#include "runtime/container/handle.hpp"
#include "runtime/container/lifecycle_hooks.hpp"

namespace vigil {

Status start_container(const std::string& root, const std::string& id) {
  auto c = TRY(Container::open(root, id));
  std::string status = c.status();
  if (status != "created") return Error(EINVAL, "cannot start container " + id + ": it is " + status + ", not created");
  // Opened before the start byte goes out: EOF on it then means the init's copy closed,
  // with the exec of the program (close-on-exec) or with the init's death.
  auto done = TRY_CTX(open_fd(c.dir.exec_done_path(), O_RDONLY | O_NONBLOCK), "start container " + id);
  ::fcntl(done.get(), F_SETFL, 0);
  // Non-blocking: with the init gone there is no reader, and we fail instead of hanging.
  auto fifo = open_fd(c.dir.fifo_path(), O_WRONLY | O_NONBLOCK);
  if (!fifo) return std::move(fifo).error().context("start container " + id);
  TRY_CTX(write_all(fifo->get(), "0", "write exec fifo"), "start container " + id);
  if (::unlink(c.dir.fifo_path().c_str()) < 0) return Error::from_errno("remove " + c.dir.fifo_path());
  ::unlink(c.dir.exec_done_path().c_str());
  // poststart hooks run once the program does (runtime-spec), not before startContainer's.
  // Without them start returns at once, as runc's does: clients act on the new process
  // right after start (ctr sizes its terminal then, before the program reads the size).
  if (!c.state.hooks.contains("poststart")) return {};
  auto failed = TRY_CTX(read_fd(done.get()), "start container " + id);
  if (!failed.empty()) return Error::msg("start container " + id + ": its program did not start: " + failed);
  run_post_hooks("poststart", c.state);
  return {};
}

}  // namespace vigil
