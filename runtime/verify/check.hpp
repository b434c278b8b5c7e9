// The checks of the policy's exec section on one open file: its rule, ELF properties,
// checksum and trusted-path test, in that order. The caller has opened the file (the very
// file the kernel will map, compared again at the exec stop) and knows its path inside the
// container; nothing here looks a path up.
#pragma once

#include <sys/stat.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "runtime/base/unique_fd.hpp"
#include "runtime/policy/exec_policy.hpp"
#include "runtime/verify/file_facts.hpp"

namespace vigil::verify {

struct Verdict {
  policy::Action action = policy::Action::allow;
  std::string rule;    // the key that decided: "exec.rules[2]", "exec.require_pie", …
  std::string detail;  // why, for the audit log
  std::string subject;  // the path judged
  bool refuses() const { return action == policy::Action::deny || action == policy::Action::kill; }
};

struct OpenFile {
  // Open for reading; or, with `reopen`, an O_PATH fd that it opens for reading the first
  // time the content is needed (facts or a digest not cached yet): a file judged before
  // costs no open.
  unique_fd fd;
  std::function<Result<unique_fd>(int fd)> reopen;
  // `fd`, or `fd` reopened for reading (once).
  Result<int> readable() const;
  struct stat st {};
  std::string path;  // inside the container, symlinks resolved
  // The directory holding it, for exec.tpe (only needed when tpe is on).
  std::optional<struct stat> dir;
  // A memfd or a deleted file: no path to hold rules, checksums or tpe to. Only with
  // exec.allow_memfd does it get this far.
  bool fileless = false;

 private:
  mutable unique_fd read_fd_;
};

// What a file is run as. A script's #! interpreter is a program too; the ELF interpreter
// (PT_INTERP) the kernel maps is a library, like those mmap maps executable.
enum class Role { program, library };

class Checker {
 public:
  // `container_uid` maps a host uid to the uid the container sees (nullopt: unmapped).
  using UidMap = std::function<std::optional<uint32_t>(uint32_t)>;
  Checker(const policy::ExecPolicy& p, FactsCache& cache) : p_(p), cache_(cache) {}

  // The strictest verdict of all checks on `f` as `role`; warn verdicts are returned only
  // when nothing refuses. `facts` gets what was learnt of the file, for the caller's next step
  // (a script's interpreter, a program's loader).
  Verdict check(const OpenFile& f, Role role, const UidMap& container_uid, Facts* facts = nullptr);
  // Fileless programs (a memfd, a deleted file) are refused unless exec.allow_memfd.
  Verdict check_fileless(const std::string& what) const;
  // Every warning of the last check(), in the order found: learning, each check that would
  // have refused the file.
  const std::vector<Verdict>& warnings() const { return warnings_; }

 private:
  const policy::ExecPolicy& p_;
  FactsCache& cache_;
  std::vector<Verdict> warnings_;
};

}  // namespace vigil::verify
