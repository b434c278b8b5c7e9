// One config.json mount onto its destination inside the rootfs.
#include <fcntl.h>
#include <linux/mount.h>
#include <sys/stat.h>

#include "runtime/base/file.hpp"
#include "runtime/rootfs/copy_tree.hpp"
#include "runtime/rootfs/mount_options.hpp"
#include "runtime/rootfs/resolve.hpp"
#include "runtime/rootfs/rootfs.hpp"

namespace vigil {
namespace {

bool is_dir(int fd) {
  struct stat st;
  return ::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
}

Status apply_after(Sys& sys, int root, const oci::Mount& m, const MountOptions& o) {
  if (o.propagation == 0) return {};
  // The fd we mounted onto still names the covered directory; reopen to reach the new mount.
  auto top = TRY(open_in_root(root, m.destination));
  return sys.set_attr(top.get(), {.propagation = o.propagation, .recursive = o.rec_propagation}, m.destination);
}

Status mount_bind(Sys& sys, int root, const oci::Mount& m, const MountOptions& o, const RootfsParams& p) {
  std::string src = m.source.empty() || m.source[0] == '/' ? m.source : p.bundle + "/" + m.source;
  if (src.empty()) return Error(EINVAL, "bind mount needs a source");
  auto source = TRY(open_fd(src, O_PATH));
  bool dir = is_dir(source.get());
  auto target = TRY(make_in_root(root, m.destination, dir ? Create::dir : Create::file));
  if (dir != is_dir(target.get()))
    return Error(dir ? ENOTDIR : EISDIR, "source " + src + (dir ? " is a directory but the destination is not"
                                                               : " is not a directory but the destination is"));
  TRY(sys.bind(source.get(), o.recursive, o.rec_attr, o.attr, target.get(), m.destination));
  return apply_after(sys, root, m, o);
}

// cgroup v1 and hybrid hosts: a tmpfs with one directory per hierarchy, each a bind of the
// container's own cgroup there. A pure v2 host: the cgroup2 filesystem (the namespace makes
// the container's cgroup its root) or, without a cgroup namespace, a bind of its cgroup.
Status mount_cgroup(Sys& sys, int root, const oci::Mount& m, const MountOptions& o, const RootfsParams& p) {
  auto dir = TRY(make_in_root(root, m.destination, Create::dir));
  bool v2_only = p.cgroups.size() == 1 && p.cgroups[0].name.empty();
  if (v2_only) {
    if (p.spec->linux.has(oci::NamespaceType::cgroup))
      return sys.mount_fs("cgroup2", "cgroup2", {}, o.attr.set, dir.get(), m.destination);
    auto src = TRY(open_fd(p.cgroups[0].host_dir, O_PATH | O_DIRECTORY));
    return sys.bind(src.get(), false, {}, o.attr, dir.get(), m.destination);
  }
  MountAttr tmpfs_attr = o.attr;
  tmpfs_attr.set &= ~uint64_t(MOUNT_ATTR_RDONLY);
  TRY(sys.mount_fs("tmpfs", "tmpfs", {{"mode", "755"}}, tmpfs_attr.set, dir.get(), m.destination));
  for (const auto& cg : p.cgroups) {
    std::string where = m.destination + "/" + cg.name;
    auto target = TRY(make_in_root(root, where, Create::dir));
    auto src = TRY(open_fd(cg.host_dir, O_PATH | O_DIRECTORY));
    TRY(sys.bind(src.get(), false, {}, o.attr, target.get(), where));
  }
  if (o.attr.set & MOUNT_ATTR_RDONLY) {
    auto top = TRY(open_in_root(root, m.destination));
    TRY(sys.set_attr(top.get(), {.set = MOUNT_ATTR_RDONLY}, m.destination));
  }
  return {};
}

}  // namespace

Status mount_entry(Sys& sys, int root, const oci::Mount& m, const RootfsParams& p) {
  auto o = TRY(parse_mount_options(m.options));
  if (o.bind || m.type == "bind") return mount_bind(sys, root, m, o, p);
  if (m.type == "cgroup" || m.type == "cgroup2") return mount_cgroup(sys, root, m, o, p);
  // /proc and /sys must be real directories of the image: a symlink there could point the
  // kernel's files at a place the container later makes writable (CVE-2023-28642).
  bool strict = m.type == "proc" || m.type == "sysfs";
  auto target = TRY(make_in_root(root, m.destination, Create::dir, strict));
  if (!is_dir(target.get())) return Error(ENOTDIR, "destination is not a directory");
  std::function<Status(int)> fill;
  if (o.tmpcopyup) {
    if (m.type != "tmpfs") return Error(EINVAL, "mount option tmpcopyup is for tmpfs only");
    fill = [&](int mnt) -> Status {
      auto covered = TRY(open_in_root(root, m.destination, O_RDONLY | O_DIRECTORY));
      TRY_CTX(copy_tree(covered.get(), mnt), "tmpcopyup");
      return {};
    };
  }
  auto st = sys.mount_fs(m.type, m.source, o.fs, o.attr.set, target.get(), m.destination, fill);
  if (!st && st.error().code() == EPERM && m.type == "sysfs") {
    // A user namespace without a network namespace of its own may not mount sysfs; runc binds the host's.
    auto host = TRY(open_fd("/sys", O_PATH | O_DIRECTORY));
    st = sys.bind(host.get(), true, {}, o.attr, target.get(), m.destination);
  }
  TRY(std::move(st));
  if (!o.rec_attr.empty()) {
    auto top = TRY(open_in_root(root, m.destination));
    TRY(sys.set_attr(top.get(), o.rec_attr, m.destination));
  }
  return apply_after(sys, root, m, o);
}

}  // namespace vigil
