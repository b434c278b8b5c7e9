// A compiled filter: the BPF program and the seccomp(2) flags to load it with. Made by the
// runtime before it forks (build_filter, or the cache), carried to the init in its request,
// and loaded there with one system call (load.hpp): the init never runs libseccomp.
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <string>
#include <string_view>
#include <vector>

#include "runtime/base/error.hpp"

namespace vigil::seccomp {

struct Program {
  std::vector<sock_filter> insns;
  unsigned int flags = 0;      // SECCOMP_FILTER_FLAG_*: TSYNC, LOG, SPEC_ALLOW, NEW_LISTENER
  bool wait_killable = false;  // add SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV where the kernel has it

  bool listener() const { return (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) != 0; }
  // As bytes (flags, wait_killable, the instructions), for the cache and the init request.
  std::string encode() const;
  static Result<Program> decode(std::string_view bytes);
};

}  // namespace vigil::seccomp
