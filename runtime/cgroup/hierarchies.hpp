// The host's cgroup hierarchies as this process sees them, read from mountinfo and /proc/self/cgroup.
#pragma once

#include <string>
#include <vector>

#include "runtime/base/error.hpp"

namespace vigil {

struct Hierarchy {
  std::string mount_point;  // /sys/fs/cgroup/memory
  bool v2 = false;
  std::string controllers;  // "memory", "cpu,cpuacct", "name=systemd"; "" for v2
  std::string path;         // this process's cgroup in it, from /proc/self/cgroup
};

std::vector<Hierarchy> parse_hierarchies(const std::string& mountinfo, const std::string& proc_cgroup);
Result<std::vector<Hierarchy>> host_hierarchies();

}  // namespace vigil
