#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime/sys/sys.hpp"

namespace vigil {
namespace {

// The fs context's own log often says more than the errno ("Bad value for 'mode'").
std::string fs_context_log(int fsfd) {
  std::string out;
  char buf[256];
  for (;;) {
    ssize_t n = ::read(fsfd, buf, sizeof buf - 1);
    if (n <= 0) break;
    buf[n] = '\0';
    std::string line(buf);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    if (line.size() > 2 && line[1] == ' ') line = line.substr(2);
    out += (out.empty() ? "" : "; ") + line;
  }
  return out;
}

Status attach(int tree, int target, const std::string& where) {
  if (::move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    return Error::from_errno("move_mount onto " + where);
  return {};
}

Status setattr(int fd, const MountAttr& a, const std::string& where) {
  if (a.empty()) return {};
  mount_attr attr{};
  attr.attr_set = a.set;
  attr.attr_clr = a.clr;
  attr.propagation = a.propagation;
  unsigned flags = AT_EMPTY_PATH | (a.recursive ? AT_RECURSIVE : 0);
  if (::mount_setattr(fd, "", flags, &attr, sizeof attr) < 0) return Error::from_errno("mount_setattr " + where);
  return {};
}

class RealSys final : public Sys {
 public:
  Status mount_fs(const std::string& type, const std::string& source, const FsOptions& options,
                  uint64_t attr_flags, int target, const std::string& where,
                  const std::function<Status(int mnt)>& fill) override {
    unique_fd fs(::fsopen(type.c_str(), FSOPEN_CLOEXEC));
    if (!fs) return Error::from_errno("fsopen " + type + " for " + where);
    auto fail = [&](const std::string& what) {
      int err = errno;
      std::string log = fs_context_log(fs.get());
      return Error(err, what + (log.empty() ? "" : " (" + log + ")"));
    };
    if (!source.empty() && ::fsconfig(fs.get(), FSCONFIG_SET_STRING, "source", source.c_str(), 0) < 0)
      return fail("fsconfig " + where + " source=" + source);
    for (const auto& [key, value] : options) {
      int rc = value.empty() ? ::fsconfig(fs.get(), FSCONFIG_SET_FLAG, key.c_str(), nullptr, 0)
                             : ::fsconfig(fs.get(), FSCONFIG_SET_STRING, key.c_str(), value.c_str(), 0);
      if (rc < 0) return fail("fsconfig " + where + " " + key + (value.empty() ? "" : "=" + value));
    }
    if (::fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0) return fail("create " + type + " for " + where);
    uint64_t readonly = fill ? attr_flags & MOUNT_ATTR_RDONLY : 0;
    unique_fd mnt(::fsmount(fs.get(), FSMOUNT_CLOEXEC, unsigned(attr_flags & ~readonly)));
    if (!mnt) return fail("fsmount " + type + " for " + where);
    if (fill) {
      TRY(fill(mnt.get()));
      TRY(setattr(mnt.get(), {.set = readonly}, where));
    }
    return attach(mnt.get(), target, where);
  }

  Status bind(int source, bool recursive, const MountAttr& rec, const MountAttr& top, int target,
              const std::string& where) override {
    unique_fd tree(::open_tree(source, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
                                               (recursive ? AT_RECURSIVE : 0)));
    if (!tree) return Error::from_errno("open_tree for " + where);
    TRY(setattr(tree.get(), rec, where));
    TRY(setattr(tree.get(), top, where));
    return attach(tree.get(), target, where);
  }

  Status set_attr(int target, const MountAttr& attr, const std::string& where) override {
    return setattr(target, attr, where);
  }

  Status set_propagation(const std::string& path, unsigned long flags) override {
    if (::mount(nullptr, path.c_str(), nullptr, flags, nullptr) < 0)
      return Error::from_errno("set propagation of " + path);
    return {};
  }

  Status mknod(int dirfd, const std::string& name, mode_t mode, dev_t dev, const std::string& where) override {
    if (::mknodat(dirfd, name.c_str(), mode, dev) < 0) return Error::from_errno("mknod " + where);
    return {};
  }

  Status pivot_root(int new_root) override {
    // pivot_root(".", ".") stacks the old root on top of the new one; detaching it
    // from there needs no directory inside the container to hold it.
    unique_fd old_root(::open("/", O_DIRECTORY | O_PATH | O_CLOEXEC));
    if (!old_root) return Error::from_errno("open /");
    if (::fchdir(new_root) < 0) return Error::from_errno("chdir to rootfs");
    if (::syscall(SYS_pivot_root, ".", ".") < 0) return Error::from_errno("pivot_root");
    if (::fchdir(old_root.get()) < 0) return Error::from_errno("chdir to old root");
    // Slave first, so the unmount does not propagate back to the host.
    if (::mount(nullptr, ".", nullptr, MS_SLAVE | MS_REC, nullptr) < 0) return Error::from_errno("make old root rslave");
    if (::umount2(".", MNT_DETACH) < 0) return Error::from_errno("detach old root");
    if (::chdir("/") < 0) return Error::from_errno("chdir /");
    return {};
  }

  Status move_root(int new_root) override {
    if (::fchdir(new_root) < 0) return Error::from_errno("chdir to rootfs");
    if (::mount(".", "/", nullptr, MS_MOVE, nullptr) < 0) return Error::from_errno("move rootfs onto /");
    if (::chroot(".") < 0) return Error::from_errno("chroot");
    if (::chdir("/") < 0) return Error::from_errno("chdir /");
    return {};
  }

  Status chroot_root(int new_root) override {
    if (::fchdir(new_root) < 0) return Error::from_errno("chdir to rootfs");
    if (::chroot(".") < 0) return Error::from_errno("chroot");
    if (::chdir("/") < 0) return Error::from_errno("chdir /");
    return {};
  }

  Status sethostname(const std::string& name) override {
    if (::sethostname(name.data(), name.size()) < 0) return Error::from_errno("sethostname " + name);
    return {};
  }

  Status setdomainname(const std::string& name) override {
    if (::setdomainname(name.data(), name.size()) < 0) return Error::from_errno("setdomainname " + name);
    return {};
  }
};

}  // namespace

Sys& real_sys() {
  static RealSys sys;
  return sys;
}

}  // namespace vigil
