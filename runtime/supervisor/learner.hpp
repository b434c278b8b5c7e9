// Learn mode (docs/POLICY.md, "Learning"): what the supervisor sees, written to the audit log
// as lines whose action is "learn", for `vigil policy suggest`: each program and library
// once per version of it (its ELF facts, digest, and its directory's owner and mode), each
// write+execute map once, each path once per access, and the peaks of commitment, per process
// and for the container, as they grow. Shared by the monitor and the threads blocking opens
// wait on.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>

#include "runtime/policy/paths_policy.hpp"
#include "runtime/supervisor/audit.hpp"
#include "runtime/verify/check.hpp"
#include "runtime/verify/file_facts.hpp"

namespace vigil::supervisor {

class Learner {
 public:
  explicit Learner(AuditLog& audit) : audit_(audit) {}

  // A file run or mapped executable as `role`, its facts known; `dir_uid`: the owner of its
  // directory as the container sees it.
  void executed(pid_t pid, const std::string& syscall, const verify::OpenFile& f, verify::Role role,
                const verify::Facts& facts, verify::FactsCache& cache, std::optional<uint32_t> dir_uid);
  // Memory asked for writable and executable at once.
  void wx_map(pid_t pid, const std::string& syscall);
  // `accesses` of `path` (inside the container), whatever the rules said.
  void touched(pid_t pid, const std::string& syscall, const std::string& path, policy::AccessSet accesses);
  // A process's commitment, and the container's, as a call would leave them.
  void committed(pid_t pid, const std::string& syscall, uint64_t process, uint64_t container);
  // Whether a warning by `rule` about `subject` is new: learning, each is written once.
  bool first_warning(const std::string& rule, const std::string& subject);
  // The container is over: peaks not written yet are.
  void finish();

  // Distinct files and paths remembered at most; past it, what is new is no longer
  // recorded, and one line says so.
  static constexpr size_t kMaxRemembered = 1 << 17;

 private:
  struct Peak {
    uint64_t seen = 0, written = 0;
  };
  void write_peak(pid_t pid, const std::string& syscall, const char* scope, Peak& p);
  bool room(pid_t pid, const std::string& syscall);

  AuditLog& audit_;
  std::mutex mu_;
  std::set<std::tuple<std::string, int, dev_t, ino_t, int64_t, int64_t>> files_;  // path, role, identity, mtime
  std::unordered_map<std::string, policy::AccessSet> paths_;
  std::set<std::pair<std::string, std::string>> warnings_;
  bool wx_seen_ = false;
  bool full_ = false;
  Peak process_, container_;
};

}  // namespace vigil::supervisor
