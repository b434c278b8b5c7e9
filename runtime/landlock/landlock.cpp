#include "runtime/landlock/landlock.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>

#include "runtime/base/file.hpp"
#include "runtime/base/unique_fd.hpp"
#include "runtime/rootfs/resolve.hpp"

namespace vigil::landlock {
namespace {

// struct landlock_ruleset_attr as ABI 6 has it; older kernels take a prefix of it.
struct RulesetAttr {
  uint64_t handled_access_fs;
  uint64_t handled_access_net;  // ABI 4
  uint64_t scoped;              // ABI 6
};

struct [[gnu::packed]] PathBeneathAttr {
  uint64_t allowed_access;
  int32_t parent_fd;
};

constexpr uint32_t kCreateRulesetVersion = 1u << 0;
constexpr int kRulePathBeneath = 1;
constexpr uint64_t kNetBindTcp = 1u << 0, kNetConnectTcp = 1u << 1;

// The size of the attr an ABI `abi` kernel takes: the fields it knows.
size_t attr_size(int abi) {
  return abi >= 6 ? sizeof(RulesetAttr) : abi >= 4 ? offsetof(RulesetAttr, scoped) : sizeof(uint64_t);
}

Result<unique_fd> create_ruleset(const RulesetAttr& attr, int abi) {
  unique_fd ruleset(int(::syscall(SYS_landlock_create_ruleset, &attr, attr_size(abi), 0)));
  if (!ruleset) return Error::from_errno("landlock: create a ruleset (ABI " + std::to_string(abi) + ")");
  return ruleset;
}

Status restrict_self(int ruleset) {
  if (::syscall(SYS_landlock_restrict_self, ruleset, 0) < 0) return Error::from_errno("landlock: restrict self");
  return {};
}

// Adds `rule` to `ruleset`; nothing when its path does not exist.
Status add_rule(int ruleset, int root, const Ruleset::Rule& rule) {
  auto fd = open_in_root(root, rule.path, O_PATH | O_CLOEXEC);
  if (!fd && fd.error().code() == ENOENT) return {};
  if (!fd) return std::move(fd).error().context("landlock: open " + rule.path);
  struct stat st{};
  if (::fstat(fd->get(), &st) < 0) return Error::from_errno("landlock: stat " + rule.path);
  if (rule.tree != S_ISDIR(st.st_mode))
    return Error(rule.tree ? ENOTDIR : EISDIR, "landlock: " + rule.path +
                                                   (rule.tree ? " is not a directory, so DIR/** names no tree there"
                                                              : " is a directory: name its tree, " + rule.path + "/**"));
  PathBeneathAttr attr{rule.rights, fd->get()};
  if (::syscall(SYS_landlock_add_rule, ruleset, kRulePathBeneath, &attr, 0) < 0)
    return Error::from_errno("landlock: add the rule for " + rule.path);
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
  RulesetAttr attr{fs_rights(abi), abi >= 4 ? kNetBindTcp | kNetConnectTcp : 0,
                   abi >= 6 ? kScopeAbstractUnixSocket | kScopeSignal : 0};
  auto ruleset = TRY(create_ruleset(attr, abi));
  TRY(restrict_self(ruleset.get()));
  return abi;
}

Status restrict(const Ruleset& r) {
  int abi = abi_version();
  // The caller checked the ABI against what the ruleset needs; this is the backstop.
  if ((r.scoped && abi < kScopeAbi) || (r.handled_fs & ~fs_rights(abi)))
    return Error(ENOTSUP, "landlock: this kernel's ABI " + std::to_string(abi) + " lacks rights the ruleset needs");
  auto ruleset = TRY(create_ruleset({r.handled_fs, 0, r.scoped}, abi));
  if (!r.rules.empty()) {
    auto root = TRY(open_fd("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
    for (const auto& rule : r.rules) TRY(add_rule(ruleset.get(), root.get(), rule));
  }
  return restrict_self(ruleset.get());
}

}  // namespace vigil::landlock
