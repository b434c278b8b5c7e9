#include "runtime/supervisor/proc_maps.hpp"

#include <sys/sysmacros.h>

#include <cstdio>
#include <cstring>
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
    unsigned long long start, end, offset, inode;
    unsigned major_no, minor_no;
    char perms[5];
    int path_at = 0;
    if (std::sscanf(line.c_str(), "%llx-%llx %4s %llx %x:%x %llu %n", &start, &end, perms, &offset, &major_no,
                    &minor_no, &inode, &path_at) != 7)
      continue;
    Mapping m{start, end, makedev(major_no, minor_no), ino_t(inode), offset, perms[3] == 's', false};
    m.heap = path_at > 0 && std::strcmp(line.c_str() + path_at, "[heap]") == 0;
    out.push_back(m);
  }
  return out;
}

}  // namespace vigil::supervisor
