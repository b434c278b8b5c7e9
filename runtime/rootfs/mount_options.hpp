// The options list of a config.json mount, split the way the new mount API wants them:
// mount attributes (this mount, or recursive with the "r" options), propagation,
// superblock flags and filesystem data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/base/error.hpp"
#include "runtime/sys/sys.hpp"

namespace vigil {

struct MountOptions {
  bool bind = false;
  bool recursive = false;       // rbind
  MountAttr attr;               // this mount only: ro, nosuid, noatime...
  MountAttr rec_attr;           // rro, rnosuid...: every mount of a recursive bind
  uint64_t propagation = 0;     // MS_SHARED, MS_SLAVE, MS_PRIVATE, MS_UNBINDABLE
  bool rec_propagation = false; // rshared, rslave...
  FsOptions fs;                 // superblock flags and data, for fsconfig
  bool tmpcopyup = false;       // runc's: a tmpfs starts with a copy of what it covers
};

Result<MountOptions> parse_mount_options(const std::vector<std::string>& options);

}  // namespace vigil
