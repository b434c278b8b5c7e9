#include "runtime/supervisor/proc_maps.hpp"

#include <fcntl.h>
#include <sys/sysmacros.h>

#include <cstdio>
#include <sstream>
#include <string>

#include "runtime/base/file.hpp"
#include "runtime/supervisor/tracee_files.hpp"

namespace vigil::supervisor {

Result<std::vector<Mapping>> read_maps(pid_t pid) {
  unique_fd fd(::openat(host_proc(), (std::to_string(pid) + "/maps").c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return Error::from_errno("open /proc/" + std::to_string(pid) + "/maps");
  return parse_maps(TRY(read_fd(fd.get())));
}

std::vector<Mapping> parse_maps(std::string_view text) {
  std::vector<Mapping> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    // start-end perms offset major:minor inode [path]
    unsigned long long start, end, inode;
    unsigned major_no, minor_no;
    if (std::sscanf(line.c_str(), "%llx-%llx %*s %*s %x:%x %llu", &start, &end, &major_no, &minor_no, &inode) != 5)
      continue;
    out.push_back({start, end, makedev(major_no, minor_no), ino_t(inode)});
  }
  return out;
}

}  // namespace vigil::supervisor
