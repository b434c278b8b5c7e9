// Starting vigil again as its hidden `vigil init SOCK` from the read-only view of its binary,
// and owning a child until it is handed over.
#pragma once

#include <sys/types.h>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"

namespace vigil {

// A child we started: killed and reaped if still ours when dropped.
class Child {
 public:
  Child() = default;
  Child(pid_t pid, unique_fd pidfd) : pid_(pid), pidfd_(std::move(pidfd)) {}
  Child(Child&&) = default;
  Child& operator=(Child&&) = default;
  ~Child();
  pid_t pid() const { return pid_; }
  int pidfd() const { return pidfd_.get(); }
  // Waits for it to exit; returns its exit code (128+N for signal N).
  int reap();
  // No longer ours to kill: it lives on (its pidfd goes with it).
  unique_fd release() { return std::move(pidfd_); }

 private:
  pid_t pid_ = 0;
  unique_fd pidfd_;
};

// clone3 with a pidfd, like fork(): the parent gets the child, the child a Child whose
// pid() is 0 (and which owns nothing). No allocation on the child's side.
Result<Child> fork_child(const char* what);

// Clones a child that re-execs `exe` (readonly_self_exe) as `vigil ROLE SOCK`, SOCK being
// `sock` kept open across the exec. Between clone and exec the child makes only
// async-signal-safe system calls.
Result<Child> reexec_self(int exe, int sock, const char* role);

}  // namespace vigil
