#include "runtime/supervisor/proc_maps.hpp"

#include <sys/sysmacros.h>

#include <cstdio>
#include <sstream>
#include <string>

#include "runtime/supervisor/tracee_files.hpp"

namespace vigil::supervisor {

Result<std::vector<Mapping>> read_maps(pid_t pid) {
  return parse_maps(TRY(read_proc_file(pid, "maps")));
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
