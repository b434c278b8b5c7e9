#include "runtime/supervisor/act_as.hpp"

#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime/process/identity.hpp"
#include "runtime/supervisor/tracee_files.hpp"

namespace vigil::supervisor {
namespace {

Result<uint64_t> permitted_capabilities() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (::syscall(SYS_capget, &header, data) < 0) return Error::from_errno("capget");
  return uint64_t(data[0].permitted) | uint64_t(data[1].permitted) << 32;
}

Status set_groups(const std::vector<uint32_t>& groups) {
  std::vector<gid_t> g(groups.begin(), groups.end());
  if (::syscall(SYS_setgroups, g.size(), g.data()) < 0) return Error::from_errno("setgroups");
  return {};
}

// The thread's own identity, read once: the supervisor's never changes (root, no groups).
Result<Identity> own_identity() {
  thread_local std::optional<Identity> own;
  if (own) return *own;
  Identity me;
  me.capabilities = TRY(permitted_capabilities());
  int n = int(::syscall(SYS_getgroups, 0, nullptr));
  std::vector<gid_t> groups(size_t(n > 0 ? n : 0));
  if (n > 0 && ::syscall(SYS_getgroups, n, groups.data()) < 0) return Error::from_errno("getgroups");
  me.groups.assign(groups.begin(), groups.end());
  me.fsuid = uint32_t(::syscall(SYS_setfsuid, -1));
  me.fsgid = uint32_t(::syscall(SYS_setfsgid, -1));
  me.umask = ::umask(0);
  ::umask(me.umask);
  own = me;
  return me;
}

}  // namespace

Result<Identity> parse_identity(std::string_view status, bool host_userns) {
  auto uid = status_numbers(status, "Uid"), gid = status_numbers(status, "Gid");
  auto cap = status_numbers(status, "CapEff", 16), mask = status_numbers(status, "Umask", 8);
  if (uid.size() != 4 || gid.size() != 4 || cap.size() != 1) return Error(EINVAL, "a status without Uid, Gid or CapEff");
  Identity who;
  who.fsuid = uint32_t(uid[3]);
  who.fsgid = uint32_t(gid[3]);
  for (auto g : status_numbers(status, "Groups")) who.groups.push_back(uint32_t(g));
  (host_userns ? who.capabilities : who.userns_capabilities) = cap[0];
  if (!mask.empty()) who.umask = mode_t(mask[0]);
  return who;
}

Result<ActingAs> ActingAs::take(const Identity& who) {
  ActingAs a;
  a.saved_ = TRY(own_identity());
  a.permitted_ = a.saved_.capabilities;
  a.active_ = true;  // from here on, the destructor gives the thread its identity back
  // Each call is made only when it changes something: on these machines a syscall is dear.
  if (who.groups != a.saved_.groups) TRY(set_groups(who.groups));
  // With CAP_SETUID and CAP_SETGID (kept for this, confine.cpp) these cannot fail.
  if (who.fsgid != a.saved_.fsgid) ::syscall(SYS_setfsgid, who.fsgid);
  if (who.fsuid != a.saved_.fsuid) ::syscall(SYS_setfsuid, who.fsuid);
  // After the fsuid: a change from 0 may clear capabilities, and these are the ones wanted.
  a.effective_ = who.capabilities & a.permitted_;
  if (a.effective_ != a.permitted_ || who.fsuid != a.saved_.fsuid) TRY(set_capabilities(a.effective_, a.permitted_, 0));
  if (who.umask != a.saved_.umask) ::umask(who.umask);
  a.changed_ = who;
  return a;
}

Status ActingAs::over(bool mapped) {
  uint64_t want = (mapped ? changed_.userns_capabilities : changed_.capabilities) & permitted_;
  if (want == effective_) return {};
  TRY(set_capabilities(want, permitted_, 0));
  effective_ = want;
  return {};
}

ActingAs::~ActingAs() {
  if (!active_) return;
  if (effective_ != permitted_ || changed_.fsuid != saved_.fsuid) (void)set_capabilities(permitted_, permitted_, 0);
  if (changed_.fsuid != saved_.fsuid) ::syscall(SYS_setfsuid, saved_.fsuid);
  if (changed_.fsgid != saved_.fsgid) ::syscall(SYS_setfsgid, saved_.fsgid);
  if (changed_.groups != saved_.groups) (void)set_groups(saved_.groups);
  if (changed_.umask != saved_.umask) ::umask(saved_.umask);
}

}  // namespace vigil::supervisor
