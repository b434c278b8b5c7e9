// Small, errno-carrying helpers for whole-file and whole-buffer I/O.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"

namespace vigil {

Result<unique_fd> open_fd(const std::string& path, int flags, mode_t mode = 0);
Result<std::string> read_file(const std::string& path);
// The names of a path, empty ones (from "//", a leading or trailing "/") left out:
// "/a//b/" → {"a", "b"}.
std::vector<std::string> path_components(std::string_view path);
Result<std::string> read_fd(int fd);
// Writes all of `data` (retrying short writes and EINTR).
Status write_all(int fd, std::string_view data, const std::string& what);
// Reads exactly n bytes; an early EOF is an error with errno 0 ("unexpected EOF").
Status read_exact(int fd, void* buf, size_t n, const std::string& what);
// Reads up to n bytes at `offset` (retrying short reads and EINTR); fewer only at the end of the file.
Result<size_t> pread_full(int fd, void* buf, size_t n, off_t offset);
// Opens an existing file (no O_CREAT) and writes `data`: for /proc and /sys knobs.
Status write_file(const std::string& path, std::string_view data);
// Writes a new file next to `path` and renames it over `path`, so readers see old or new, never half.
Status write_file_atomic(const std::string& path, std::string_view data, mode_t mode = 0644);

}  // namespace vigil
