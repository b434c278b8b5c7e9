#include "runtime/landlock/landlock.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>

#include "runtime/base/unique_fd.hpp"

namespace vigil::landlock {
namespace {

// struct landlock_ruleset_attr as ABI 6 has it; older kernels take a prefix of it.
struct RulesetAttr {
  uint64_t handled_access_fs;
  uint64_t handled_access_net;  // ABI 4
  uint64_t scoped;              // ABI 6
};

constexpr uint32_t kCreateRulesetVersion = 1u << 0;
constexpr uint64_t kNetBindTcp = 1u << 0, kNetConnectTcp = 1u << 1;

// A domain of a ruleset with no rules: what `attr` handles (its first `size` bytes) is refused.
Status restrict_self(const RulesetAttr& attr, size_t size, int abi) {
  unique_fd ruleset(int(::syscall(SYS_landlock_create_ruleset, &attr, size, 0)));
  if (!ruleset) return Error::from_errno("landlock: create a ruleset (ABI " + std::to_string(abi) + ")");
  if (::syscall(SYS_landlock_restrict_self, ruleset.get(), 0) < 0) return Error::from_errno("landlock: restrict self");
  return {};
}

}  // namespace

int abi_version() {
  long v = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, kCreateRulesetVersion);
  return v < 0 ? 0 : int(v);
}

uint64_t fs_rights(int abi) {
  // EXECUTE … MAKE_SYM (ABI 1), REFER (2), TRUNCATE (3), IOCTL_DEV (5).
  int bits = abi >= 5 ? 16 : abi >= 3 ? 15 : abi >= 2 ? 14 : abi >= 1 ? 13 : 0;
  return (uint64_t(1) << bits) - 1;
}

Result<int> deny_all() {
  int abi = abi_version();
  if (abi == 0) return 0;
  RulesetAttr attr{fs_rights(abi), 0, 0};
  size_t size = sizeof attr.handled_access_fs;
  if (abi >= 4) {
    attr.handled_access_net = kNetBindTcp | kNetConnectTcp;
    size = offsetof(RulesetAttr, scoped);
  }
  if (abi >= 6) {
    attr.scoped = kScopeAbstractUnixSocket | kScopeSignal;
    size = sizeof attr;
  }
  TRY(restrict_self(attr, size, abi));
  return abi;
}

Status restrict_scope(uint64_t scoped) {
  int abi = abi_version();
  if (abi < kScopeAbi)
    return Error(ENOTSUP, "landlock: scopes need ABI " + std::to_string(kScopeAbi) + ", this kernel has " + std::to_string(abi));
  RulesetAttr attr{0, 0, scoped};
  return restrict_self(attr, sizeof attr, abi);
}

}  // namespace vigil::landlock
