#include "runtime/supervisor/audit.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "runtime/base/clock.hpp"
#include "runtime/base/json_text.hpp"
#include "runtime/base/log.hpp"

namespace vigil::supervisor {

Result<AuditLog> AuditLog::open(const std::string& path, std::string container_id) {
  unique_fd fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd) return Error::from_errno("open audit log " + path);
  return AuditLog(std::move(fd), std::move(container_id));
}

nlohmann::json AuditLog::to_json(const Decision& d, const std::string& container_id, const std::string& time) {
  nlohmann::json j = {{"time", time},       {"id", container_id}, {"pid", d.pid},      {"syscall", d.syscall},
                      {"subject", d.subject}, {"rule", d.rule},     {"action", d.action},
                      {"detail", d.detail}};
  if (!d.learned.is_null()) j["learned"] = d.learned;
  return j;
}

void AuditLog::record(const Decision& d) {
  std::string line = json_text(to_json(d, id_, rfc3339_now())) + "\n";
  (void)!::write(fd_.get(), line.data(), line.size());
  if (d.action == "learn") return;  // what was seen, not a decision
  log_warn("supervisor: " + d.action + " " + d.syscall + " " + d.subject + " by pid " + std::to_string(d.pid) +
           " (" + d.rule + (d.detail.empty() ? "" : ": " + d.detail) + ")");
}

}  // namespace vigil::supervisor
