// Who the container process is: user, groups, capabilities, limits, and the last steps before exec.
#pragma once

#include <string>
#include <vector>

#include "oci/spec.hpp"
#include "runtime/base/error.hpp"

namespace vigil {

Status apply_rlimits(const std::vector<oci::Rlimit>& rlimits);
Status apply_oom_score_adj(int value);
Status apply_personality(const oci::Personality& p);
// Drops the bounding set, switches uid/gid/groups keeping capabilities, then sets the
// effective, permitted, inheritable and ambient sets (runc's order).
Status apply_user_and_capabilities(const oci::Process& proc);

}  // namespace vigil
