// A copy of a directory tree of the (hostile) rootfs: for tmpcopyup, where a tmpfs starts
// with what the image had at its mount point.
#pragma once

#include "runtime/base/error.hpp"

namespace vigil {

// Copies the contents of directory `from` into directory `to`: directories, regular files and
// symlinks with their modes, owners and times. Nothing is ever followed: every entry is
// opened relative to its directory's fd with O_NOFOLLOW, and symlinks are copied as links.
// Other file types (devices, fifos, sockets) are skipped.
Status copy_tree(int from, int to);

}  // namespace vigil
