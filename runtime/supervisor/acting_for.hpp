// What the supervisor's path judgements share (open_notice.cpp, remove_notice.cpp): the
// process it acts for, gathered and proven while the process waits in its syscall, and the
// rules' word on a path and a file.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>

#include <optional>
#include <string>

#include "runtime/base/unique_fd.hpp"
#include "runtime/supervisor/act_as.hpp"
#include "runtime/supervisor/judge.hpp"
#include "runtime/supervisor/path_walk.hpp"

namespace vigil::supervisor {

struct Process {
  unique_fd root, base;  // base: its cwd or the call's dirfd, for a relative path
  Identity identity;
  std::string tgid, tid;  // as the container's /proc names them
  bool protected_symlinks = true;
  WalkFrom from() const { return {root.get(), base ? base.get() : AT_FDCWD, tgid, tid, protected_symlinks}; }
};

// The process of `who`, and the path at `path_addr` (from `dirfd`) of its call; nullopt
// when it cannot be had (then answered as the kernel would have failed the call).
std::optional<Process> gather(const JudgeContext& c, const Notified& who, int dirfd, uint64_t path_addr, std::string& path);

struct Word {
  policy::Action action = policy::Action::allow;
  std::string rule;
  std::string detail;
};

// The strictest word of the rules on `path` (the file `st`, if it exists, by its identity
// too) for `accesses`.
Word decide(const PathsJudge& pj, const std::string& path, const struct stat* st, policy::AccessSet accesses);

// Audits a word that is not allow; answers one that refuses (EACCES; kill: SIGKILL too)
// and returns true then.
bool refused(const JudgeContext& c, const Notified& who, const std::string& syscall, const std::string& path, const Word& w);

}  // namespace vigil::supervisor
