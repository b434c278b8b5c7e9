#include "runtime/rootfs/mountinfo.hpp"

#include <sstream>

#include "runtime/base/file.hpp"

namespace vigil {
namespace {

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); i++) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      int v = 0;
      bool ok = true;
      for (size_t k = 1; k <= 3; k++) {
        char c = s[i + k];
        if (c < '0' || c > '7') ok = false;
        v = v * 8 + (c - '0');
      }
      if (ok) {
        out += char(v);
        i += 3;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

bool is_under(const std::string& path, const std::string& dir) {
  if (dir == "/") return true;
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/');
}

}  // namespace

std::vector<MountInfo> parse_mountinfo(const std::string& text) {
  std::vector<MountInfo> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string id, parent, devno, root, mp, opts, field;
    if (!(f >> id >> parent >> devno >> root >> mp >> opts)) continue;
    while (f >> field && field != "-") {
    }
    MountInfo m;
    m.root = unescape(root);
    m.mount_point = unescape(mp);
    if (!(f >> m.fs_type >> m.source >> m.super_options)) continue;
    m.source = unescape(m.source);
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::vector<MountInfo>> read_mountinfo() {
  return parse_mountinfo(TRY(read_file("/proc/self/mountinfo")));
}

Result<std::string> mount_point_of(const std::string& path) {
  std::string best;
  // Later lines stack on earlier ones; the longest matching mount point wins, the last on ties.
  for (const auto& m : TRY(read_mountinfo()))
    if (is_under(path, m.mount_point) && m.mount_point.size() >= best.size()) best = m.mount_point;
  if (best.empty()) return Error(ENOENT, "no mount holds " + path);
  return best;
}

}  // namespace vigil
