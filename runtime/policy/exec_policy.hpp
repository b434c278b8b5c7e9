// The `exec` section of a policy as the supervisor uses it: which programs and libraries a
// container may run (docs/POLICY.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/policy/action.hpp"
#include "runtime/policy/glob.hpp"
#include "runtime/policy/policy.hpp"

namespace vigil::policy {

struct ExecRule {
  ExecRule(std::string p, Action a) : path(std::move(p)), glob(path), action(a) {}
  std::string path;  // a glob, as written
  Glob glob;         // path, compiled
  Action action;
};

struct Checksum {
  std::string algo;  // "sha256" or "sha512"
  std::string hex;   // lower case
  std::string str() const { return algo + ":" + hex; }
};
// "sha256:" and 64 hex digits or "sha512:" and 128, either case; nullopt for anything else.
std::optional<Checksum> parse_checksum(std::string_view text);

struct ExecPolicy {
  Action default_action = Action::allow;
  std::vector<ExecRule> rules;  // last match wins
  bool require_pie = false;
  bool deny_execstack = false;
  bool deny_ldso = false;
  bool deny_elf32 = false;
  bool deny_static = false;
  bool deny_dynamic = false;
  bool deny_wx = false;
  bool allow_memfd = false;
  bool allow_debuggers = false;  // a traced process may exec, with no exec stop
  std::map<std::string, Checksum> checksums;  // path inside the container → digest
  Action unlisted = Action::allow;            // a file checksums does not list
  bool tpe = false;
  std::vector<uint32_t> trusted_uids = {0};
  // Learn mode: every exec and library is judged and recorded, a refusal is a warning.
  bool learn = false;

  struct Match {
    Action action;
    std::string rule;  // "exec.rules[2]" or "exec.default"
  };
  // The last rule matching `path`, else the default.
  Match match(std::string_view path) const;
  // Whether libraries (mmap/mprotect with PROT_EXEC) must be checked too.
  bool checks_libraries() const;
  // Whether execs are judged at all: not when the section lets every program run, fileless
  // ones included. The supervisor then never looks at an exec, and it costs nothing.
  bool judges_exec() const;
  // Whether a file's directory is examined (for tpe, or to record it while learning).
  bool needs_dir() const { return tpe || learn; }
};

// From a validated policy; what it does not set keeps the defaults above.
ExecPolicy exec_policy(const Policy& p);

}  // namespace vigil::policy
