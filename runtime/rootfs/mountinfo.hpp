// /proc/self/mountinfo, read rather than guessed.
#pragma once

#include <string>
#include <vector>

#include "runtime/base/error.hpp"

namespace vigil {

struct MountInfo {
  std::string root;         // the mount's root within its filesystem
  std::string mount_point;
  std::string fs_type;
  std::string source;
  std::string super_options;
};

std::vector<MountInfo> parse_mountinfo(const std::string& text);
Result<std::vector<MountInfo>> read_mountinfo();
// The mount point of the mount that holds `path` (absolute, no symlinks), from this process's view.
Result<std::string> mount_point_of(const std::string& path);

}  // namespace vigil
