// A validated Profile compiled by libseccomp into a BPF program (compiled() → load_filter()).
// Building allocates and calls into libseccomp; loading (load.hpp) then makes just the
// seccomp(2) call, so nothing runs under the new filter that the profile did not plan for.
#pragma once

#include <linux/filter.h>
#include <seccomp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/base/error.hpp"
#include "runtime/seccomp/profile.hpp"
#include "runtime/seccomp/program.hpp"

namespace vigil::seccomp {

// Owns a libseccomp filter context and the BPF program generated from it.
class Filter {
 public:
  Filter() = default;
  Filter(const Filter&) = delete;
  Filter& operator=(const Filter&) = delete;
  Filter(Filter&& o) noexcept;
  Filter& operator=(Filter&& o) noexcept;
  ~Filter();

  scmp_filter_ctx ctx() const { return ctx_; }
  // The program as libseccomp exported it after the last rule was added, behind the ENOSYS
  // stub (enosys.hpp).
  const std::vector<sock_filter>& program() const { return program_; }
  // SECCOMP_FILTER_FLAG_* for seccomp(2): TSYNC, LOG and SPEC_ALLOW as the profile asks,
  // NEW_LISTENER when a rule notifies.
  unsigned int seccomp_flags() const { return flags_; }
  bool has_listener() const;
  // The profile asks for SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV. libseccomp 2.5 has no
  // attribute for it (SCMP_FLTATR_CTL_WAITKILL came in 2.6), so load_filter() adds the
  // flag itself: pass this as its `wait_killable`.
  bool wait_killable_recv() const { return wait_killable_; }
  // The program with its flags, to load or to carry elsewhere.
  Program compiled() const { return Program{program_, flags_, wait_killable_}; }

 private:
  friend Result<Filter> build_filter(const Profile& p, std::vector<std::string>* debug);

  scmp_filter_ctx ctx_ = nullptr;
  std::vector<sock_filter> program_;
  unsigned int flags_ = 0;
  bool wait_killable_ = false;
};

// Compiles `p` for this kernel and libseccomp. Syscalls they do not know are skipped, and
// so are rules whose action is the default one; each skip adds a line to `debug` (may be null).
Result<Filter> build_filter(const Profile& p, std::vector<std::string>* debug);

// libseccomp's token for an SCMP_ARCH_* name, nullopt when the linked libseccomp cannot
// build a filter for it (SCMP_ARCH_LOONGARCH64 before 2.6).
std::optional<uint32_t> arch_token(std::string_view name);

// The filter as libseccomp's pseudo filter code, for debugging and tests.
Result<std::string> export_pfc(const Filter& f);

}  // namespace vigil::seccomp
