// The container's terminal: a pty of the container's own devpts, made by its init (or by an
// exec'd process) and handed out as runc does.
#pragma once

#include <optional>

#include "oci/spec.hpp"
#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"

namespace vigil {

struct Pty {
  unique_fd master;
  unique_fd slave;
};

// Opens /dev/ptmx below `root` (the container's root, as a hostile tree), checks that it is a
// pty master, unlocks it and opens its peer without a path lookup; sets `size` if given.
Result<Pty> open_pty(int root, const std::optional<oci::ConsoleSize>& size);

// Makes `slave` the controlling terminal of this process (a session leader without one) and
// its stdin, stdout and stderr, owned by `uid` so the program can reopen it.
Status attach_terminal(int slave, uint32_t uid);

}  // namespace vigil
