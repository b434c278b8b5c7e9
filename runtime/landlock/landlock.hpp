// Landlock, the kernel's own sandboxing: what this kernel offers (its ABI version) and the
// domains vigil's processes restrict themselves to. Debian 12's headers stop at ABI 2, so
// the later rights (TRUNCATE 3, TCP 4, IOCTL_DEV 5, scopes 6) are spelled out here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/base/error.hpp"

namespace vigil::landlock {

// The highest ABI this kernel implements; 0 without Landlock (not built, or not enabled).
int abi_version();

// Filesystem rights, as the kernel numbers them, and the ABI that brought each.
constexpr uint64_t kExecute = 1u << 0, kWriteFile = 1u << 1, kReadFile = 1u << 2, kReadDir = 1u << 3,
                   kRemoveDir = 1u << 4, kRemoveFile = 1u << 5, kMakeChar = 1u << 6, kMakeDir = 1u << 7,
                   kMakeReg = 1u << 8, kMakeSock = 1u << 9, kMakeFifo = 1u << 10, kMakeBlock = 1u << 11,
                   kMakeSym = 1u << 12, kRefer = 1u << 13, kTruncate = 1u << 14, kIoctlDev = 1u << 15;
constexpr int kReferAbi = 2, kTruncateAbi = 3, kIoctlDevAbi = 5;

// Scopes (ABI 6): a domain's processes cannot connect to an abstract unix socket, or signal
// a process, outside the domain (or a domain nested in it).
constexpr uint64_t kScopeAbstractUnixSocket = 1u << 0, kScopeSignal = 1u << 1;
constexpr int kScopeAbi = 6;

// Every filesystem access right of ABI `abi`: a ruleset handling these and granting none
// allows no file to be opened, created, removed, renamed, linked or truncated.
uint64_t fs_rights(int abi);

// A domain for a container's processes: the filesystem rights it handles, granted only
// beneath (or on) the paths of its rules, and its scopes.
struct Ruleset {
  struct Rule {
    std::string path;  // absolute, as the process sees it
    bool tree;         // a directory, granting beneath it; else one file
    uint64_t rights;
  };
  uint64_t handled_fs = 0;
  uint64_t scoped = 0;
  std::vector<Rule> rules;
  bool empty() const { return handled_fs == 0 && scoped == 0; }
};

// Restricts the calling thread (and what it forks) to `r`, its rules' paths resolved in
// the thread's root as the container's processes resolve them (symlinks followed inside
// it). A rule whose path does not exist grants nothing; a tree rule on a non-directory, or
// a file rule on a directory, is an error. Needs no_new_privs or CAP_SYS_ADMIN.
Status restrict(const Ruleset& r);

// Restricts the calling thread (and what it forks) to nothing Landlock can refuse: no file
// access at all, no TCP bind or connect (ABI 4), no abstract unix socket or signal outside
// the domain (ABI 6). Needs no_new_privs (or CAP_SYS_ADMIN). Returns the ABI used, 0 when
// the kernel has no Landlock (nothing restricted).
Result<int> deny_all();

}  // namespace vigil::landlock
