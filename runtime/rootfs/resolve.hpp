// Paths inside a rootfs are hostile: every lookup is openat2 RESOLVE_IN_ROOT against the
// rootfs fd, so ".." and symlinks (absolute ones too) stay inside it, and magic links
// (/proc/self/root) are refused.
#pragma once

#include <fcntl.h>

#include <string>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"

namespace vigil {

enum class Create { none, dir, file };

// Opens `path` (absolute, as seen from inside the container) below `root`.
// `no_symlinks` refuses any symlink on the way (for /proc and /sys, CVE-2023-28642).
Result<unique_fd> open_in_root(int root, const std::string& path, int flags = O_PATH, bool no_symlinks = false);

// Like open_in_root with O_PATH, creating missing directories on the way and, as asked,
// the last component as a directory or an empty file.
Result<unique_fd> make_in_root(int root, const std::string& path, Create last, bool no_symlinks = false);

// Opens the parent directory of `path` (created if missing) and returns it with the last component.
Result<std::pair<unique_fd, std::string>> open_parent_in_root(int root, const std::string& path);

}  // namespace vigil
