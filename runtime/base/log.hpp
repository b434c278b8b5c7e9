// vigil's log: --log FILE (appended), --log-format text|json, --debug. Without a file,
// warnings and errors go to stderr. containerd and conmon read the last JSON error line.
#pragma once

#include <string>

namespace vigil {

enum class LogLevel { debug, info, warning, error };

struct LogConfig {
  std::string file;
  int fd = -1;  // instead of file: the container's init, past pivot_root, keeps the log open
  bool json = false;
  bool debug = false;
};

void log_configure(const LogConfig& c);
const LogConfig& log_config();
void log_line(LogLevel level, const std::string& msg);
inline void log_debug(const std::string& m) { log_line(LogLevel::debug, m); }
inline void log_warn(const std::string& m) { log_line(LogLevel::warning, m); }
// The one error line of a failed command: to stderr always, and to the log file when there is one.
void log_fatal(const std::string& msg);

}  // namespace vigil
