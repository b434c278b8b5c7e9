// The audit log of a supervised container, <root>/<id>/audit.log: one JSON line per decision
// that denies, kills or warns (time, container id, pid, syscall, path or argument, rule,
// action, detail), also logged as a warning; in learn mode, also what was seen (action
// "learn", with what was learnt under "learned": learner.hpp). `vigil events ID` streams it.
#pragma once

#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"

namespace vigil::supervisor {

struct Decision {
  int pid = 0;
  std::string syscall;
  std::string subject;  // the path or argument judged
  std::string rule;     // which policy key or rule decided
  std::string action;   // "warn", "deny", "kill", "learn"
  std::string detail;   // why: the ELF property, the checksum expected and found, …
  nlohmann::json learned = nullptr;  // a "learn" line's facts
};

class AuditLog {
 public:
  static Result<AuditLog> open(const std::string& path, std::string container_id);
  AuditLog(AuditLog&&) = default;
  // One line, written with a single append so concurrent workers never interleave.
  void record(const Decision& d);
  static nlohmann::json to_json(const Decision& d, const std::string& container_id, const std::string& time);

 private:
  AuditLog(unique_fd fd, std::string id) : fd_(std::move(fd)), id_(std::move(id)) {}
  unique_fd fd_;
  std::string id_;
};

}  // namespace vigil::supervisor
