// Who the container process is: user, groups, capabilities, limits, and the last steps before exec.
#pragma once

#include <linux/capability.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "oci/spec.hpp"
#include "runtime/base/error.hpp"

namespace vigil {

Status apply_rlimits(const std::vector<oci::Rlimit>& rlimits);
Status apply_oom_score_adj(int value);
Status apply_personality(const oci::Personality& p);
// process.user and process.capabilities as the kernel takes them.
struct IdentityPlan {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
  uint64_t bounding = 0, effective = 0, permitted = 0, inheritable = 0, ambient = 0;
  bool no_new_privs = false;
  // Without no_new_privs the kernel loads a filter only for a process with CAP_SYS_ADMIN, and
  // the OCI profile is loaded last, after the identity change: assume_identity() then keeps
  // CAP_SYS_ADMIN in the effective and permitted sets. The exec drops it, with no call after
  // the load: it computes the program's sets from the bounding, inheritable and ambient ones
  // (and the file's), never from the caller's permitted set.
  bool keeps_sys_admin = false;
};
IdentityPlan plan_identity(const oci::Process& proc);

// Capability sets as 64-bit masks (bit N: capability N).
// Drops every capability this kernel knows from the bounding set, but those in `keep`.
Status drop_bounding_set(uint64_t keep);
// capset(2) of the calling thread.
Status set_capabilities(uint64_t effective, uint64_t permitted, uint64_t inheritable);

// Drops the bounding set, switches uid/gid/groups keeping capabilities, then sets the
// effective, permitted, inheritable and ambient sets (runc's order) and no_new_privs;
// CAP_SYS_ADMIN stays where keeps_sys_admin says.
Status assume_identity(const IdentityPlan& plan);

}  // namespace vigil
