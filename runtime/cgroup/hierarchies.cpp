#include "runtime/cgroup/hierarchies.hpp"

#include <sstream>

#include "runtime/base/file.hpp"
#include "runtime/rootfs/mountinfo.hpp"

namespace vigil {
namespace {

// The controllers a v1 mount carries, from its super options ("rw,cpu,cpuacct" → "cpu,cpuacct").
std::string v1_controllers(const std::string& super_options) {
  std::string out;
  std::istringstream in(super_options);
  std::string o;
  while (std::getline(in, o, ',')) {
    if (o == "rw" || o == "ro" || o == "noprefix" || o == "xattr" || o == "clone_children" || o == "cpuset_v2_mode" ||
        (o.find('=') != std::string::npos && o.rfind("name=", 0) != 0))
      continue;
    out += (out.empty() ? "" : ",") + o;
  }
  return out;
}

}  // namespace

std::vector<Hierarchy> parse_hierarchies(const std::string& mountinfo, const std::string& proc_cgroup) {
  std::vector<std::pair<std::string, std::string>> memberships;  // controllers, path
  std::istringstream in(proc_cgroup);
  std::string line;
  while (std::getline(in, line)) {
    auto a = line.find(':');
    auto b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    memberships.emplace_back(line.substr(a + 1, b - a - 1), line.substr(b + 1));
  }
  std::vector<Hierarchy> out;
  for (const auto& m : parse_mountinfo(mountinfo)) {
    Hierarchy h;
    h.mount_point = m.mount_point;
    if (m.fs_type == "cgroup2") h.v2 = true;
    else if (m.fs_type == "cgroup") h.controllers = v1_controllers(m.super_options);
    else continue;
    // The mount may show a sub-tree only (its root); paths in /proc/self/cgroup are from the top.
    for (const auto& [ctrls, path] : memberships)
      if (ctrls == h.controllers)
        h.path = m.root != "/" && path.rfind(m.root, 0) == 0 ? path.substr(m.root.size()) : path;
    out.push_back(h);
  }
  return out;
}

Result<std::vector<Hierarchy>> host_hierarchies() {
  return parse_hierarchies(TRY(read_file("/proc/self/mountinfo")), TRY(read_file("/proc/self/cgroup")));
}

}  // namespace vigil
