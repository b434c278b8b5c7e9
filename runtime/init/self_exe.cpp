#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>

#include "runtime/init/spawn.hpp"

namespace vigil {

Result<unique_fd> readonly_self_exe() {
  // A detached, read-only bind mount of our own binary: the init runs from it, so a
  // container that reopens /proc/PID/exe for writing gets EROFS. Nothing is copied, and
  // the mount is reachable by no path; it goes away with the last process running it.
  unique_fd tree(::open_tree(AT_FDCWD, "/proc/self/exe", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
  if (!tree) return Error::from_errno("open_tree /proc/self/exe");
  mount_attr attr{};
  attr.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV;
  if (::mount_setattr(tree.get(), "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
    return Error::from_errno("make the bind mount of vigil read-only");
  return tree;
}

}  // namespace vigil
