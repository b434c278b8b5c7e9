// Landlock, the kernel's own sandboxing: what this kernel offers (its ABI version) and the
// domains vigil's processes restrict themselves to. Debian 12's headers stop at ABI 2, so
// the later rights (TRUNCATE 3, TCP 4, IOCTL_DEV 5, scopes 6) are spelled out here.
#pragma once

#include <cstdint>

#include "runtime/base/error.hpp"

namespace vigil::landlock {

// The highest ABI this kernel implements; 0 without Landlock (not built, or not enabled).
int abi_version();

// Scopes (ABI 6): a domain's processes cannot connect to an abstract unix socket, or signal
// a process, outside the domain (or a domain nested in it).
constexpr uint64_t kScopeAbstractUnixSocket = 1u << 0, kScopeSignal = 1u << 1;
constexpr int kScopeAbi = 6;

// Restricts the calling thread (and what it forks) to the scopes `scoped`, nothing else.
// Needs no_new_privs or CAP_SYS_ADMIN, and ABI 6.
Status restrict_scope(uint64_t scoped);

// Every filesystem access right of ABI `abi`: a ruleset handling these and granting none
// allows no file to be opened, created, removed, renamed, linked or truncated.
uint64_t fs_rights(int abi);

// Restricts the calling thread (and what it forks) to nothing Landlock can refuse: no file
// access at all, no TCP bind or connect (ABI 4), no abstract unix socket or signal outside
// the domain (ABI 6). Needs no_new_privs (or CAP_SYS_ADMIN). Returns the ABI used, 0 when
// the kernel has no Landlock (nothing restricted).
Result<int> deny_all();

}  // namespace vigil::landlock
