// /proc/PID/maps as the supervisor reads it: each mapping's range and the file behind it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "runtime/base/error.hpp"

namespace vigil::supervisor {

struct Mapping {
  uint64_t start = 0, end = 0;
  dev_t dev = 0;
  ino_t inode = 0;      // 0: anonymous memory
  uint64_t offset = 0;  // into the file
  bool shared = false;  // MAP_SHARED ('s')
  bool heap = false;    // [heap]: brk's
};

Result<std::vector<Mapping>> read_maps(pid_t pid);
// The text of a maps file; lines that do not parse are skipped.
std::vector<Mapping> parse_maps(std::string_view text);

}  // namespace vigil::supervisor
