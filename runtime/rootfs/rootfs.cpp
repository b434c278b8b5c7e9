#include "runtime/rootfs/rootfs.hpp"

#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "runtime/base/file.hpp"
#include "runtime/rootfs/mountinfo.hpp"

namespace vigil {
namespace {

unsigned long propagation_flags(const std::string& p) {
  if (p == "shared") return MS_SHARED;
  if (p == "rshared") return MS_SHARED | MS_REC;
  if (p == "private") return MS_PRIVATE;
  if (p == "rprivate") return MS_PRIVATE | MS_REC;
  if (p == "unbindable") return MS_UNBINDABLE;
  if (p == "runbindable") return MS_UNBINDABLE | MS_REC;
  if (p == "slave") return MS_SLAVE;
  return MS_SLAVE | MS_REC;  // "rslave", and the default as in runc: host mounts still reach us, ours never reach the host
}

// The host's /dev/null, opened before anything of the container's can stand in for it
// (CVE-2025-31133: a masked path bound to a /dev/null the image replaced with a symlink).
Result<unique_fd> open_host_devnull() {
  auto fd = TRY(open_fd("/dev/null", O_PATH | O_NOFOLLOW));
  struct stat st;
  if (::fstat(fd.get(), &st) < 0) return Error::from_errno("stat /dev/null");
  if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
    return Error(EPERM, "host /dev/null is not the character device 1:3");
  return fd;
}

bool binds_dev(const oci::Spec& spec) {
  for (const auto& m : spec.mounts) {
    if (m.destination != "/dev") continue;
    if (m.type == "bind") return true;
    for (const auto& o : m.options)
      if (o == "bind" || o == "rbind") return true;
  }
  return false;
}

// No mount namespace of the container's own: it shares the caller's (runtime-spec), so
// whatever we mounted or created would land in the caller's mount table and outlive the
// container. Nothing is; preflight refused the configs that would need it. The hooks run,
// then the init chroots into the rootfs (pivot_root would move the caller's root).
Status enter_rootfs_without_mount_ns(Sys& sys, const RootfsParams& p) {
  auto root = TRY(open_fd(p.rootfs, O_PATH | O_DIRECTORY));
  if (p.before_pivot) TRY(p.before_pivot());
  return sys.chroot_root(root.get());
}

}  // namespace

Status setup_rootfs(Sys& sys, const RootfsParams& p) {
  const oci::Spec& spec = *p.spec;
  if (!spec.linux.has(oci::NamespaceType::mount)) return enter_rootfs_without_mount_ns(sys, p);
  // 1. Our copy of the host's tree gets rootfsPropagation (rslave unless asked): host mounts
  // still reach us, and the binds of shared host directories stay peers (Bidirectional).
  TRY(sys.set_propagation("/", propagation_flags(spec.linux.rootfs_propagation)));
  // 2. The mount holding the rootfs becomes private: the rootfs itself when it is a mount
  // point (containerd's overlay), which step 1 may just have made shared. pivot_root refuses
  // a new root (step 3's bind) whose parent is shared, and a private source keeps whatever
  // we mount below the rootfs from propagating to the host.
  TRY(sys.set_propagation(TRY(mount_point_of(p.rootfs)), MS_PRIVATE));
  // 3. The rootfs becomes a mount of its own (pivot_root needs one); reopen it to get the top of it.
  {
    auto dir = TRY(open_fd(p.rootfs, O_PATH | O_DIRECTORY));
    TRY(sys.bind(dir.get(), true, {}, {}, dir.get(), p.rootfs));
  }
  auto root = TRY(open_fd(p.rootfs, O_PATH | O_DIRECTORY));
  auto devnull = TRY(open_host_devnull());
  // 4. config.json mounts, in order: later ones may stack on earlier ones.
  for (const auto& m : spec.mounts) TRY_CTX(mount_entry(sys, root.get(), m, p), "mount " + m.destination);
  // 5. Devices after the mounts, so they land in the /dev tmpfs; skipped when /dev is the host's.
  if (!binds_dev(spec)) TRY(create_devices(sys, root.get(), p));
  if (p.console) TRY(p.console(root.get()));
  // 6. Masks and read-only paths last, over whatever the mounts put there (/proc included).
  TRY(mask_paths(sys, root.get(), spec.linux.masked_paths, devnull.get()));
  TRY(make_readonly_paths(sys, root.get(), spec.linux.readonly_paths));
  if (p.before_pivot) TRY(p.before_pivot());
  // 7. Enter the new root. From here on only the container's files are reachable.
  if (p.no_pivot) TRY(sys.move_root(root.get()));
  else TRY(sys.pivot_root(root.get()));
  if (!spec.linux.rootfs_propagation.empty())
    TRY(sys.set_propagation("/", propagation_flags(spec.linux.rootfs_propagation)));
  if (spec.root.readonly) {
    auto top = TRY(open_fd("/", O_PATH | O_DIRECTORY));
    TRY_CTX(sys.set_attr(top.get(), {.set = MOUNT_ATTR_RDONLY}, "/"), "make root read-only");
  }
  return {};
}

}  // namespace vigil
