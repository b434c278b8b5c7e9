#include "runtime/supervisor/exec_stop.hpp"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>

#include "runtime/supervisor/proc_maps.hpp"

namespace vigil::supervisor {

std::string exec_mismatch(pid_t pid, const std::optional<ExpectedImage>& expected) {
  if (!expected) return "an exec the supervisor did not judge";
  struct stat st;
  if (::stat(("/proc/" + std::to_string(pid) + "/exe").c_str(), &st) < 0) return "its program cannot be examined";
  if (!(verify::file_key(st) == expected->program)) return "its program is not the file that was verified";
  // The kernel maps the program and the loader its PT_INTERP names, nothing else. This
  // program is unchanged (same times), so without a loader there is nothing more to see.
  if (expected->mapped.size() == 1) return "";
  auto maps = read_maps(pid);
  if (!maps) return "its mappings cannot be read";
  for (const auto& m : *maps) {
    if (m.inode == 0) continue;
    bool known = std::any_of(expected->mapped.begin(), expected->mapped.end(),
                             [&](const verify::FileKey& k) { return k.dev == m.dev && k.ino == m.inode; });
    if (!known)
      return "it maps a file that was not verified (device " + std::to_string(major(m.dev)) + ":" +
             std::to_string(minor(m.dev)) + ", inode " + std::to_string(m.inode) + ")";
  }
  return "";
}

}  // namespace vigil::supervisor
