#include <grp.h>
#include <sys/capability.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime/process/identity.hpp"

namespace vigil {
namespace {

constexpr uint64_t bit(cap_value_t c) { return uint64_t(1) << c; }

// Names libcap does not know (a newer kernel's) are left out, as runc leaves them.
uint64_t to_mask(const std::vector<std::string>& names) {
  uint64_t mask = 0;
  for (const auto& n : names) {
    cap_value_t v;
    if (cap_from_name(n.c_str(), &v) == 0 && v < 64) mask |= bit(v);
  }
  return mask;
}

Status set_ambient(uint64_t ambient) {
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    return Error::from_errno("reset ambient capabilities");
  // The kernel only raises an ambient capability that is also permitted and inheritable;
  // runc's default config lists ambient ones without inheritable, and runc skips them too.
  for (cap_value_t c = 0; c < 64; c++)
    if ((ambient & bit(c)) && ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0 && errno != EPERM)
      return Error::from_errno("raise ambient capability " + std::string(cap_to_name(c)));
  return {};
}

}  // namespace

Status drop_bounding_set(uint64_t keep) {
  for (cap_value_t c = 0; c < cap_value_t(cap_max_bits()) && c < 64; c++) {
    if ((keep & bit(c)) || CAP_IS_SUPPORTED(c) == 0) continue;
    if (::prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
      return Error::from_errno("drop capability " + std::string(cap_to_name(c)) + " from the bounding set");
  }
  return {};
}

Status set_capabilities(uint64_t effective, uint64_t permitted, uint64_t inheritable) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {
      {uint32_t(effective), uint32_t(permitted), uint32_t(inheritable)},
      {uint32_t(effective >> 32), uint32_t(permitted >> 32), uint32_t(inheritable >> 32)}};
  if (::syscall(SYS_capset, &header, data) < 0) return Error::from_errno("set capabilities");
  return {};
}

Status apply_personality(const oci::Personality& p) {
  if (::personality(oci::personality_value(p)) < 0) return Error::from_errno("personality " + p.domain);
  return {};
}

IdentityPlan plan_identity(const oci::Process& proc) {
  IdentityPlan plan;
  plan.uid = proc.user.uid;
  plan.gid = proc.user.gid;
  plan.groups.assign(proc.user.additional_gids.begin(), proc.user.additional_gids.end());
  // No capabilities object means none at all, as runc reads it.
  const oci::Capabilities caps = proc.capabilities.value_or(oci::Capabilities{});
  plan.bounding = to_mask(caps.bounding);
  plan.effective = to_mask(caps.effective);
  plan.permitted = to_mask(caps.permitted);
  plan.inheritable = to_mask(caps.inheritable);
  plan.ambient = to_mask(caps.ambient);
  plan.no_new_privs = proc.no_new_privileges;
  uint64_t admin = bit(CAP_SYS_ADMIN);
  plan.keeps_sys_admin = !plan.no_new_privs && ((plan.effective & admin) == 0 || (plan.permitted & admin) == 0);
  return plan;
}

Status assume_identity(const IdentityPlan& plan) {
  TRY(drop_bounding_set(plan.bounding));
  // Keep the permitted set across the uid change; it is cut down to the asked-for sets below.
  if (::prctl(PR_SET_KEEPCAPS, 1) < 0) return Error::from_errno("prctl PR_SET_KEEPCAPS");
  if (::setgroups(plan.groups.size(), plan.groups.data()) < 0) return Error::from_errno("setgroups");
  if (::setresgid(plan.gid, plan.gid, plan.gid) < 0) return Error::from_errno("setgid " + std::to_string(plan.gid));
  if (::setresuid(plan.uid, plan.uid, plan.uid) < 0) return Error::from_errno("setuid " + std::to_string(plan.uid));
  if (::prctl(PR_SET_KEEPCAPS, 0) < 0) return Error::from_errno("prctl PR_SET_KEEPCAPS");
  uint64_t admin = plan.keeps_sys_admin ? bit(CAP_SYS_ADMIN) : 0;
  TRY(set_capabilities(plan.effective | admin, plan.permitted | admin, plan.inheritable));
  TRY(set_ambient(plan.ambient));
  if (plan.no_new_privs && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return Error::from_errno("prctl PR_SET_NO_NEW_PRIVS");
  return {};
}

}  // namespace vigil
