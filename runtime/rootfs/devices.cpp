// Device nodes in the container's /dev: mknod where we may, else a bind of the host's node
// (inside a user namespace mknod is refused), and the usual /dev symlinks.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "runtime/base/file.hpp"
#include "runtime/rootfs/resolve.hpp"
#include "runtime/rootfs/rootfs.hpp"

namespace vigil {
namespace {

const std::vector<oci::Device>& default_devices() {
  static const std::vector<oci::Device> d = {
      {"/dev/null", 'c', 1, 3, 0666, 0, 0},    {"/dev/zero", 'c', 1, 5, 0666, 0, 0},
      {"/dev/full", 'c', 1, 7, 0666, 0, 0},    {"/dev/random", 'c', 1, 8, 0666, 0, 0},
      {"/dev/urandom", 'c', 1, 9, 0666, 0, 0}, {"/dev/tty", 'c', 5, 0, 0666, 0, 0},
  };
  return d;
}

mode_t type_bits(char t) {
  switch (t) {
    case 'b': return S_IFBLK;
    case 'p': return S_IFIFO;
    default: return S_IFCHR;  // 'c' and 'u'
  }
}

Status bind_host_device(Sys& sys, int root, const oci::Device& d) {
  auto host = TRY(open_fd(d.path, O_PATH));
  auto target = TRY(make_in_root(root, d.path, Create::file));
  return sys.bind(host.get(), false, {}, {}, target.get(), d.path);
}

Status make_device(Sys& sys, int root, const oci::Device& d) {
  auto [dir, name] = TRY(open_parent_in_root(root, d.path));
  // Whatever the image has there (a file, a symlink) is replaced, never followed.
  if (::unlinkat(dir.get(), name.c_str(), 0) < 0 && errno != ENOENT) return Error::from_errno("remove " + d.path);
  mode_t mode = type_bits(d.type) | (d.file_mode.value_or(0666) & 07777);
  TRY(sys.mknod(dir.get(), name, mode, makedev(unsigned(d.major), unsigned(d.minor)), d.path));
  if (::fchownat(dir.get(), name.c_str(), d.uid.value_or(0), d.gid.value_or(0), AT_SYMLINK_NOFOLLOW) < 0)
    return Error::from_errno("chown " + d.path);
  return {};
}

Status make_symlink(int root, const std::string& target, const std::string& path, bool replace) {
  auto [dir, name] = TRY(open_parent_in_root(root, path));
  if (replace && ::unlinkat(dir.get(), name.c_str(), 0) < 0 && errno != ENOENT)
    return Error::from_errno("remove " + path);
  if (::symlinkat(target.c_str(), dir.get(), name.c_str()) < 0 && errno != EEXIST)
    return Error::from_errno("symlink " + path);
  return {};
}

}  // namespace

Status create_devices(Sys& sys, int root, const RootfsParams& p) {
  std::vector<oci::Device> all = p.spec->linux.devices;
  for (const auto& d : default_devices()) {
    bool overridden = false;
    for (const auto& u : all) overridden |= u.path == d.path;
    if (!overridden) all.push_back(d);
  }
  for (const auto& d : all) {
    auto st = p.in_userns ? bind_host_device(sys, root, d) : make_device(sys, root, d);
    TRY_CTX(std::move(st), "device " + d.path);
  }
  const std::pair<const char*, const char*> links[] = {
      {"/proc/self/fd", "/dev/fd"},    {"/proc/self/fd/0", "/dev/stdin"},
      {"/proc/self/fd/1", "/dev/stdout"}, {"/proc/self/fd/2", "/dev/stderr"},
  };
  for (const auto& [target, path] : links) TRY(make_symlink(root, target, path, false));
  // /dev/ptmx must be the devpts instance's, whatever the image put there.
  return make_symlink(root, "pts/ptmx", "/dev/ptmx", true);
}

}  // namespace vigil
