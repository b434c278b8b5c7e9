// Who the container process is: user, groups, capabilities, limits, and the last steps before exec.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "oci/spec.hpp"
#include "runtime/base/error.hpp"

namespace vigil {

Status apply_rlimits(const std::vector<oci::Rlimit>& rlimits);
Status apply_oom_score_adj(int value);
Status apply_personality(const oci::Personality& p);
// Capability sets as 64-bit masks (bit N: capability N).
// Drops every capability this kernel knows from the bounding set, but those in `keep`.
Status drop_bounding_set(uint64_t keep);
// capset(2) of the calling thread.
Status set_capabilities(uint64_t effective, uint64_t permitted, uint64_t inheritable);

// Drops the bounding set, switches uid/gid/groups keeping capabilities, then sets the
// effective, permitted, inheritable and ambient sets (runc's order) and no_new_privs.
// Without no_new_privs the kernel loads a seccomp filter only for a process with
// CAP_SYS_ADMIN, and the OCI profile is loaded after this, right before the exec: CAP_SYS_ADMIN
// then stays in the effective and permitted sets. The exec drops it with no call after the
// load: it computes the program's sets from the bounding, inheritable and ambient ones (and
// the file's), never from the caller's permitted set.
Status apply_user_and_capabilities(const oci::Process& proc);

}  // namespace vigil
