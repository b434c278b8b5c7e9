// Asking the kernel what its seccomp(2) supports, without installing anything.
#pragma once

#include <cstdint>

namespace vigil::seccomp {

// Whether seccomp(SECCOMP_SET_MODE_FILTER) accepts `flags` (SECCOMP_FILTER_FLAG_*
// bits) together. Probed as libseccomp does: the call is made with a null program,
// which a kernel that knows every flag refuses with EFAULT and one that does not with
// EINVAL, before it checks no_new_privs or copies anything. Nothing is loaded either way.
bool kernel_accepts_flags(unsigned int flags);

// Whether the kernel implements the SECCOMP_RET_* action `ret` (SECCOMP_GET_ACTION_AVAIL).
bool kernel_has_action(uint32_t ret);

}  // namespace vigil::seccomp
