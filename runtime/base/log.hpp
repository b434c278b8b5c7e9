// vigil's log: --log FILE (appended), --log-format text|json, --debug. Without a file,
// warnings and errors go to stderr. containerd and conmon read the last JSON error line.
#pragma once

#include <string>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"

namespace vigil {

enum class LogLevel { debug, info, warning, error };

struct LogConfig {
  std::string file;
  int fd = -1;  // instead of file: the container's init, past pivot_root, keeps the log open
  bool json = false;
  bool debug = false;
};

void log_configure(const LogConfig& c);
// The --log file opened for appending, for a process that will not see its path (the
// container's init past pivot_root); an empty fd when there is none.
Result<unique_fd> open_log_file();
const LogConfig& log_config();
void log_line(LogLevel level, const std::string& msg);
inline void log_debug(const std::string& m) { log_line(LogLevel::debug, m); }
inline void log_warn(const std::string& m) { log_line(LogLevel::warning, m); }
// The one error line of a failed command: to stderr always, and to the log file when there is one.
void log_fatal(const std::string& msg);

}  // namespace vigil
