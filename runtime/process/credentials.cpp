#include <grp.h>
#include <sys/capability.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <memory>

#include "runtime/process/identity.hpp"

namespace vigil {
namespace {

using CapPtr = std::unique_ptr<std::remove_pointer_t<cap_t>, int (*)(void*)>;

std::vector<cap_value_t> to_caps(const std::vector<std::string>& names) {
  std::vector<cap_value_t> out;
  for (const auto& n : names) {
    cap_value_t v;
    if (cap_from_name(n.c_str(), &v) == 0) out.push_back(v);
  }
  return out;
}

bool contains(const std::vector<cap_value_t>& v, cap_value_t c) {
  for (auto x : v)
    if (x == c) return true;
  return false;
}

Status drop_bounding(const std::vector<cap_value_t>& keep) {
  for (cap_value_t c = 0; c < cap_value_t(cap_max_bits()); c++) {
    if (contains(keep, c) || CAP_IS_SUPPORTED(c) == 0) continue;
    if (cap_drop_bound(c) < 0) return Error::from_errno("drop capability " + std::string(cap_to_name(c)) + " from the bounding set");
  }
  return {};
}

Status set_caps(const oci::Capabilities& c) {
  CapPtr caps(cap_init(), cap_free);
  if (!caps) return Error::from_errno("cap_init");
  const std::pair<cap_flag_t, const std::vector<std::string>*> sets[] = {
      {CAP_EFFECTIVE, &c.effective}, {CAP_PERMITTED, &c.permitted}, {CAP_INHERITABLE, &c.inheritable}};
  for (const auto& [flag, names] : sets) {
    auto v = to_caps(*names);
    if (!v.empty() && cap_set_flag(caps.get(), flag, int(v.size()), v.data(), CAP_SET) < 0)
      return Error::from_errno("cap_set_flag");
  }
  if (cap_set_proc(caps.get()) < 0) return Error::from_errno("set capabilities");
  if (cap_reset_ambient() < 0 && errno != EINVAL) return Error::from_errno("reset ambient capabilities");
  // The kernel only raises an ambient capability that is also permitted and inheritable;
  // runc's default config lists ambient ones without inheritable, and runc skips them too.
  for (auto a : to_caps(c.ambient))
    if (cap_set_ambient(a, CAP_SET) < 0 && errno != EPERM)
      return Error::from_errno("raise ambient capability " + std::string(cap_to_name(a)));
  return {};
}

}  // namespace

Status apply_personality(const oci::Personality& p) {
  if (::personality(oci::personality_value(p)) < 0) return Error::from_errno("personality " + p.domain);
  return {};
}

Status apply_user_and_capabilities(const oci::Process& proc) {
  const auto& u = proc.user;
  // No capabilities object means none at all, as runc reads it.
  const oci::Capabilities caps = proc.capabilities.value_or(oci::Capabilities{});
  TRY(drop_bounding(to_caps(caps.bounding)));
  // Keep the permitted set across the uid change; it is cut down to the asked-for sets below.
  if (::prctl(PR_SET_KEEPCAPS, 1) < 0) return Error::from_errno("prctl PR_SET_KEEPCAPS");
  std::vector<gid_t> groups(u.additional_gids.begin(), u.additional_gids.end());
  if (::setgroups(groups.size(), groups.data()) < 0) return Error::from_errno("setgroups");
  if (::setresgid(u.gid, u.gid, u.gid) < 0) return Error::from_errno("setgid " + std::to_string(u.gid));
  if (::setresuid(u.uid, u.uid, u.uid) < 0) return Error::from_errno("setuid " + std::to_string(u.uid));
  if (::prctl(PR_SET_KEEPCAPS, 0) < 0) return Error::from_errno("prctl PR_SET_KEEPCAPS");
  TRY(set_caps(caps));
  if (proc.no_new_privileges && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return Error::from_errno("prctl PR_SET_NO_NEW_PRIVS");
  return {};
}

}  // namespace vigil
