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

Status apply_user_and_capabilities(const oci::Process& proc) {
  const auto& u = proc.user;
  // No capabilities object means none at all, as runc reads it.
  const oci::Capabilities caps = proc.capabilities.value_or(oci::Capabilities{});
  uint64_t admin = proc.no_new_privileges ? 0 : bit(CAP_SYS_ADMIN);
  TRY(drop_bounding_set(to_mask(caps.bounding)));
  // Keep the permitted set across the uid change; it is cut down to the asked-for sets below.
  if (::prctl(PR_SET_KEEPCAPS, 1) < 0) return Error::from_errno("prctl PR_SET_KEEPCAPS");
  std::vector<gid_t> groups(u.additional_gids.begin(), u.additional_gids.end());
  if (::setgroups(groups.size(), groups.data()) < 0) return Error::from_errno("setgroups");
  if (::setresgid(u.gid, u.gid, u.gid) < 0) return Error::from_errno("setgid " + std::to_string(u.gid));
  if (::setresuid(u.uid, u.uid, u.uid) < 0) return Error::from_errno("setuid " + std::to_string(u.uid));
  if (::prctl(PR_SET_KEEPCAPS, 0) < 0) return Error::from_errno("prctl PR_SET_KEEPCAPS");
  TRY(set_capabilities(to_mask(caps.effective) | admin, to_mask(caps.permitted) | admin, to_mask(caps.inheritable)));
  TRY(set_ambient(to_mask(caps.ambient)));
  if (proc.no_new_privileges && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return Error::from_errno("prctl PR_SET_NO_NEW_PRIVS");
  return {};
}

}  // namespace vigil
