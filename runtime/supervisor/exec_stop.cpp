#include "runtime/supervisor/exec_stop.hpp"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "runtime/base/file.hpp"

namespace vigil::supervisor {
namespace {

bool same_file(const verify::FileKey& k, dev_t dev, ino_t ino) { return k.dev == dev && k.ino == ino; }

}  // namespace

std::string exec_mismatch(pid_t pid, const std::optional<ExpectedImage>& expected) {
  if (!expected) return "an exec the supervisor did not judge";
  std::string proc = "/proc/" + std::to_string(pid);
  struct stat st;
  if (::stat((proc + "/exe").c_str(), &st) < 0) return "its program cannot be examined";
  if (!(verify::file_key(st) == expected->program)) return "its program is not the file that was verified";
  // The kernel maps the program and the loader its PT_INTERP names, nothing else. This
  // program is unchanged (same times), so without a loader there is nothing more to see.
  if (expected->mapped.size() == 1) return "";
  auto maps = read_file(proc + "/maps");
  if (!maps) return "its mappings cannot be read";
  std::istringstream in(*maps);
  std::string line;
  while (std::getline(in, line)) {
    // start-end perms offset major:minor inode [path]
    unsigned major_no, minor_no;
    unsigned long long inode;
    if (std::sscanf(line.c_str(), "%*s %*s %*s %x:%x %llu", &major_no, &minor_no, &inode) != 3 || inode == 0) continue;
    dev_t dev = makedev(major_no, minor_no);
    bool known = std::any_of(expected->mapped.begin(), expected->mapped.end(),
                             [&](const verify::FileKey& k) { return same_file(k, dev, ino_t(inode)); });
    if (!known) return "it maps a file that was not verified: " + line;
  }
  return "";
}

}  // namespace vigil::supervisor
