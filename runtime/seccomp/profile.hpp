// linux.seccomp of config.json as validated types. parse_profile() checks every field and
// the rules between them, so build_filter() and load_filter() never see an unchecked value.
#pragma once

#include <cerrno>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/base/error.hpp"
#include "runtime/seccomp/names.hpp"

namespace vigil::seccomp {

// One comparison on a syscall argument. For SCMP_CMP_MASKED_EQ, `value` is the mask and
// `value_two` the value the masked argument must equal (libseccomp's order).
struct Arg {
  unsigned index = 0;  // 0..5
  uint64_t value = 0;
  uint64_t value_two = 0;
  Op op = Op::eq;
};

struct Rule {
  std::vector<std::string> names;  // at least one, none empty; unknown ones are skipped later
  Action action = Action::allow;
  std::optional<uint32_t> errno_ret;  // only with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, <= 65535
  std::vector<Arg> args;

  // What the kernel returns: errnoRet, else EPERM (the spec's and runc's default).
  uint32_t errno_or_default() const { return errno_ret.value_or(EPERM); }
};

struct Profile {
  Action default_action = Action::allow;  // never SCMP_ACT_NOTIFY
  std::optional<uint32_t> default_errno_ret;
  std::vector<std::string> architectures;  // SCMP_ARCH_* names, as written
  // nullopt when config.json has no "flags" at all: runc (1.2+) and crun then turn on
  // SECCOMP_FILTER_FLAG_SPEC_ALLOW where supported, which an empty list does not.
  std::optional<std::vector<Flag>> flags;
  std::string listener_path;  // absolute; set whenever a rule is SCMP_ACT_NOTIFY
  std::string listener_metadata;
  std::vector<Rule> syscalls;

  uint32_t default_errno_or_default() const { return default_errno_ret.value_or(EPERM); }
  bool has_flag(Flag f) const;
  // Whether any rule notifies: the filter is then loaded with a listener.
  bool has_notify() const;
};

// False for an absent (null) linux.seccomp, and for an object with neither defaultAction
// nor syscalls, which runc also takes for "no seccomp".
bool profile_requested(const nlohmann::json& j);

// `j` is linux.seccomp. Every error names its JSON path, e.g.
//   config.json: linux.seccomp.syscalls[3].action: unknown action "SCMP_ACT_FOO"
Result<Profile> parse_profile(const nlohmann::json& j, const std::string& file = "config.json");

// The syscalls the init makes after loading the filter and before the parent holds the
// listener fd. A notification on one of them would wait for an agent that can never get
// the listener: the init hangs. write is runc's (its init writes the fd number to its
// parent); sendmsg is vigil's own (the protocol passes fds with SCM_RIGHTS).
std::span<const std::string_view> hand_off_syscalls();

// Refuses SCMP_ACT_NOTIFY as the default action, or on a hand-off syscall:
//   linux.seccomp.syscalls[2].names[0]: SCMP_ACT_NOTIFY on write would block the listener hand-off
// parse_profile() runs it; it is public for profiles built in code.
Status check_listener_hand_off(const Profile& p);

}  // namespace vigil::seccomp
