// linux.maskedPaths and linux.readonlyPaths.
#include <fcntl.h>
#include <linux/mount.h>
#include <sys/stat.h>

#include "runtime/rootfs/resolve.hpp"
#include "runtime/rootfs/rootfs.hpp"

namespace vigil {

Status mask_paths(Sys& sys, int root, const std::vector<std::string>& paths, int devnull) {
  for (const auto& path : paths) {
    auto fd = open_in_root(root, path);
    if (!fd) {
      if (fd.error().code() == ENOENT) continue;  // nothing there to hide
      return std::move(fd).error().context("mask " + path);
    }
    struct stat st;
    if (::fstat(fd->get(), &st) < 0) return Error::from_errno("stat " + path);
    // A directory is covered by an empty read-only tmpfs, anything else by the host's /dev/null.
    auto masked = S_ISDIR(st.st_mode)
                      ? sys.mount_fs("tmpfs", "tmpfs", {{"size", "0"}}, MOUNT_ATTR_RDONLY, fd->get(), path)
                      : sys.bind(devnull, false, {}, {}, fd->get(), path);
    TRY_CTX(std::move(masked), "mask " + path);
  }
  return {};
}

Status make_readonly_paths(Sys& sys, int root, const std::vector<std::string>& paths) {
  for (const auto& path : paths) {
    auto fd = open_in_root(root, path);
    if (!fd) {
      if (fd.error().code() == ENOENT) continue;
      return std::move(fd).error().context("read-only " + path);
    }
    MountAttr ro{.set = MOUNT_ATTR_RDONLY, .recursive = true};
    TRY_CTX(sys.bind(fd->get(), true, ro, {}, fd->get(), path), "read-only " + path);
  }
  return {};
}

}  // namespace vigil
