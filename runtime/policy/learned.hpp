// What a learn-mode run saw, read back from the "learn" lines of an audit log (docs/POLICY.md,
// "Learning"): the input of `vigil policy suggest`. The log may be any file a user names, so
// every line is checked; what is not a learn line of the expected shape is skipped and counted.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/policy/paths_policy.hpp"

namespace vigil::policy {

struct ExecutedFile {
  std::string path;  // inside the container, symlinks resolved
  bool program = false;  // a program (or #! interpreter); else a library or the loader
  bool script = false;   // a #! script (no ELF facts)
  bool elf = false;
  bool elf32 = false, pie = false, is_static = false, ldso = false, execstack = false, wx = false;
  std::string digest;                // "sha256:HEX", or empty
  std::optional<uint32_t> dir_uid;   // its directory's owner as the container sees it
  std::optional<uint32_t> dir_mode;  // and mode bits
};

struct Observations {
  std::vector<ExecutedFile> files;   // in the order seen; a path again if it changed
  bool fileless = false;             // a memfd or deleted file ran
  bool wx_map = false;               // memory asked for writable and executable
  bool debugged = false;             // a process a debugger traced ran a program
  std::map<std::string, AccessSet> paths;  // path → accesses
  uint64_t process_peak = 0, container_peak = 0;  // bytes committed
  bool incomplete = false;           // the learner stopped recording new things
  size_t lines = 0, skipped = 0;     // learn lines read, and lines that were not
};

Observations read_learned(std::string_view log);

}  // namespace vigil::policy
