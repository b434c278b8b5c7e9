// The thin layer over the privileged calls that set up a container's rootfs and
// identity. Passed in, never global, so the order and arguments of the setup are
// unit-tested against a recording fake without root (tests/unit/fake_sys.hpp).
// Every call names `where` (the path inside the container) for its error message.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"

namespace vigil {

// Mount attributes for mount_setattr(2): MOUNT_ATTR_* bits and an MS_* propagation.
struct MountAttr {
  uint64_t set = 0;
  uint64_t clr = 0;
  uint64_t propagation = 0;
  bool recursive = false;
  bool empty() const { return set == 0 && clr == 0 && propagation == 0; }
};

using FsOptions = std::vector<std::pair<std::string, std::string>>;  // key, value ("" for a flag)

class Sys {
 public:
  virtual ~Sys() = default;
  // A new filesystem (fsopen/fsconfig/fsmount) placed on the O_PATH fd `target`. `fill`, if
  // given, runs on the new mount's root before it is attached (and made read-only).
  virtual Status mount_fs(const std::string& type, const std::string& source, const FsOptions& options,
                          uint64_t attr_flags, int target, const std::string& where,
                          const std::function<Status(int mnt)>& fill = nullptr) = 0;
  // A copy of the tree at `source` (open_tree), recursive or not, with attributes applied
  // before it is attached on `target` (`rec` to every mount, then `top` to the top one):
  // the new mount is never visible with weaker attributes.
  virtual Status bind(int source, bool recursive, const MountAttr& rec, const MountAttr& top, int target,
                      const std::string& where) = 0;
  // mount_setattr on the mount at the O_PATH fd `target`.
  virtual Status set_attr(int target, const MountAttr& attr, const std::string& where) = 0;
  // mount(2) propagation change on a path (used for "/" and the rootfs' parent).
  virtual Status set_propagation(const std::string& path, unsigned long flags) = 0;
  virtual Status mknod(int dirfd, const std::string& name, mode_t mode, dev_t dev, const std::string& where) = 0;
  // pivot_root into the directory `new_root` and detach the old root.
  virtual Status pivot_root(int new_root) = 0;
  // --no-pivot: MS_MOVE the rootfs onto / and chroot into it.
  virtual Status move_root(int new_root) = 0;
  // No mount namespace of the container's own: chroot into `new_root`, nothing mounted.
  virtual Status chroot_root(int new_root) = 0;
  virtual Status sethostname(const std::string& name) = 0;
  virtual Status setdomainname(const std::string& name) = 0;
};

// The real thing.
Sys& real_sys();

}  // namespace vigil
