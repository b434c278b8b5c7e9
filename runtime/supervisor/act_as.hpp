// The identity a judging thread takes to open a file for a container's process, so that the
// kernel checks the process's permissions, not the supervisor's: its filesystem uid and gid,
// its supplementary groups, its umask and its effective capabilities (those the supervisor
// has as well). Credentials are per thread in the kernel, so this changes the calling
// thread alone (raw syscalls: glibc's setgroups would change every thread), and gives the
// thread its own identity back when it ends. The thread must have an fs struct of its own
// (in_root.hpp) for the umask.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "runtime/base/error.hpp"

namespace vigil::supervisor {

struct Identity {
  uint32_t fsuid = 0, fsgid = 0;
  std::vector<uint32_t> groups;
  uint64_t capabilities = 0;  // effective, in the host's user namespace
  // In a user-namespaced container: its effective capabilities there, which the kernel lets
  // hold over a file only where the namespace maps the file's owner and group (ActingAs::over).
  uint64_t userns_capabilities = 0;
  mode_t umask = 022;
};

// A process's identity, from the text of its /proc/PID/status (ids as the host reads them).
// `host_userns` false (a user-namespaced container): its capabilities are its namespace's.
Result<Identity> parse_identity(std::string_view status, bool host_userns);

class ActingAs {
 public:
  // The calling thread takes `who`'s identity (capabilities: those it has as well).
  static Result<ActingAs> take(const Identity& who);
  ActingAs(ActingAs&& o) noexcept
      : saved_(std::move(o.saved_)),
        changed_(std::move(o.changed_)),
        permitted_(o.permitted_),
        effective_(o.effective_),
        active_(o.active_) {
    o.active_ = false;
  }
  // For the calls ahead, on files whose owner and group the process's user namespace maps
  // (`mapped`) or not: its namespace's capabilities, or none, as the kernel's
  // capable_wrt_inode_uidgid would let them count. Nothing changes outside such a namespace.
  Status over(bool mapped);
  ActingAs& operator=(ActingAs&&) = delete;
  ~ActingAs();

 private:
  ActingAs() = default;
  Identity saved_;    // the thread's own
  Identity changed_;  // what it took
  uint64_t permitted_ = 0;
  uint64_t effective_ = 0;  // the thread's now
  bool active_ = false;
};

}  // namespace vigil::supervisor
