// Turns the bundle's rootfs into the container's root: the ordered checklist lives in rootfs.cpp.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "oci/spec.hpp"
#include "runtime/base/error.hpp"
#include "runtime/sys/sys.hpp"

namespace vigil {

// A cgroup hierarchy to show at /sys/fs/cgroup/NAME: the host directory of the container's cgroup.
struct CgroupBind {
  std::string name;      // "memory", "cpu,cpuacct", "unified", or "" for a pure v2 host
  std::string host_dir;  // absolute host path
};

struct RootfsParams {
  const oci::Spec* spec = nullptr;
  std::string rootfs;  // absolute host path
  std::string bundle;  // for relative bind sources
  bool no_pivot = false;
  bool in_userns = false;  // devices are bind-mounted, not created
  std::vector<CgroupBind> cgroups;
  // The createRuntime/createContainer hook point: everything mounted, pivot_root not yet done.
  std::function<Status()> before_pivot;
  // process.terminal: makes the pty once /dev is complete, while `root` is still writable.
  std::function<Status(int root)> console;
};

Status setup_rootfs(Sys& sys, const RootfsParams& p);

// One config.json mount, onto its destination below `root`.
Status mount_entry(Sys& sys, int root, const oci::Mount& m, const RootfsParams& p);
// Default devices plus linux.devices, and the /dev symlinks.
Status create_devices(Sys& sys, int root, const RootfsParams& p);
Status mask_paths(Sys& sys, int root, const std::vector<std::string>& paths, int devnull);
Status make_readonly_paths(Sys& sys, int root, const std::vector<std::string>& paths);

}  // namespace vigil
