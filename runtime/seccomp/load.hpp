// Installing a compiled Program on the calling thread (all threads with TSYNC) with seccomp(2).
//
// For the caller, in order:
//  1. The kernel installs a filter only for a task with no_new_privs set or CAP_SYS_ADMIN
//     in its user namespace (else EACCES). load_filter() does not set no_new_privs: with
//     process.noNewPrivileges, set it first and load as late as possible (right before the
//     exec fifo wait, so the profile need allow the least); without it, load while the init
//     still has CAP_SYS_ADMIN, i.e. before the capabilities are dropped (runc's order too).
//  2. With a listener, hand its fd to the parent at once: the parent passes it on to the
//     agent at listenerPath. Until then a notifying syscall would wait for nobody, which is
//     why the profile may not notify on hand_off_syscalls() (see profile.hpp).
#pragma once

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"
#include "runtime/seccomp/program.hpp"

namespace vigil::seccomp {

// Loads `p`. Returns the listener fd (close-on-exec) when `p` has SCMP_ACT_NOTIFY rules,
// an empty unique_fd otherwise. `p.wait_killable` adds SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
// when there is a listener and the kernel knows the flag (Linux 6.0); on older kernels the
// filter loads without it.
//
// After the seccomp(2) call succeeds nothing else is called: no allocation, no free, no
// other syscall, so the profile cannot trip on load_filter() itself.
Result<unique_fd> load_filter(const Program& p);

}  // namespace vigil::seccomp
