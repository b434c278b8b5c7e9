#include "runtime/base/log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "runtime/base/clock.hpp"
#include "runtime/base/file.hpp"
#include "runtime/base/json_text.hpp"

namespace vigil {
namespace {

LogConfig g_config;

const char* level_name(LogLevel l) {
  switch (l) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warning: return "warning";
    case LogLevel::error: return "error";
  }
  return "info";
}

std::string format(LogLevel level, const std::string& msg) {
  std::string time = rfc3339_now();
  if (g_config.json)
    return json_text(nlohmann::json{{"level", level_name(level)}, {"msg", msg}, {"time", time}}) + "\n";
  return "time=\"" + time + "\" level=" + level_name(level) + " msg=" + json_text(nlohmann::json(msg)) + "\n";
}

void append_to_file(const std::string& line) {
  if (g_config.fd >= 0) {
    (void)write_all(g_config.fd, line, "write log");
    return;
  }
  auto fd = open_fd(g_config.file, O_WRONLY | O_APPEND | O_CREAT, 0640);
  if (fd) (void)write_all(fd->get(), line, "write log");
}

bool has_log() { return g_config.fd >= 0 || !g_config.file.empty(); }

}  // namespace

void log_configure(const LogConfig& c) { g_config = c; }
const LogConfig& log_config() { return g_config; }

Result<unique_fd> open_log_file() {
  if (g_config.file.empty()) return unique_fd();
  return open_fd(g_config.file, O_WRONLY | O_APPEND | O_CREAT, 0640);
}

void log_line(LogLevel level, const std::string& msg) {
  if (level == LogLevel::debug && !g_config.debug) return;
  if (has_log()) return append_to_file(format(level, msg));
  if (level >= LogLevel::warning || g_config.debug) {
    std::string line = "vigil: " + std::string(level_name(level)) + ": " + msg + "\n";
    (void)write_all(2, line, "write stderr");
  }
}

void log_fatal(const std::string& msg) {
  std::string line = "vigil: " + msg + "\n";
  (void)write_all(2, line, "write stderr");
  if (has_log()) append_to_file(format(LogLevel::error, msg));
}

}  // namespace vigil
