#include "runtime/rootfs/resolve.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <vector>

#include "runtime/base/file.hpp"

namespace vigil {
namespace {


int openat2_in_root(int root, const std::string& path, int flags, bool no_symlinks) {
  open_how how{};
  how.flags = uint64_t(flags | O_CLOEXEC);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | (no_symlinks ? RESOLVE_NO_SYMLINKS : 0);
  std::string rel = path.empty() || path == "/" ? "." : path;
  for (;;) {
    int fd = int(::syscall(SYS_openat2, root, rel.c_str(), &how, sizeof how));
    // EAGAIN: a rename elsewhere raced the lookup; the kernel asks us to retry.
    if (fd < 0 && errno == EAGAIN) continue;
    return fd;
  }
}

std::string join(const std::vector<std::string>& parts, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; i++) out += "/" + parts[i];
  return out.empty() ? "/" : out;
}

constexpr int kMaxSymlinks = 40;

Result<unique_fd> make_in_root_depth(int root, const std::string& path, Create last, bool no_symlinks, int depth) {
  if (int fd = openat2_in_root(root, path, O_PATH, no_symlinks); fd >= 0) return unique_fd(fd);
  if (errno != ENOENT) return Error::from_errno("openat2 rootfs" + path);
  if (depth > kMaxSymlinks) return Error(ELOOP, "openat2 rootfs" + path);
  // Walk down from the root, creating what is missing; each parent is re-resolved in the root,
  // so a symlink planted in the image can only ever lead to another place inside it.
  auto parts = path_components(path);
  for (size_t i = 0; i < parts.size(); i++) {
    const std::string& name = parts[i];
    if (name == "." || name == "..") continue;
    auto parent = TRY(open_in_root(root, join(parts, i), O_PATH | O_DIRECTORY, no_symlinks));
    bool is_last = i + 1 == parts.size();
    if (is_last && last == Create::file) {
      int fd = ::openat(parent.get(), name.c_str(), O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0644);
      if (fd >= 0) ::close(fd);
      else if (errno != EEXIST) return Error::from_errno("create rootfs" + join(parts, i + 1));
    } else if (!is_last || last == Create::dir) {
      if (::mkdirat(parent.get(), name.c_str(), 0755) < 0 && errno != EEXIST)
        return Error::from_errno("mkdir rootfs" + join(parts, i + 1));
    }
    // A dangling symlink: create what it points to (inside the root), as runc's MkdirAll does.
    char target[4096];
    ssize_t n = ::readlinkat(parent.get(), name.c_str(), target, sizeof target - 1);
    if (n <= 0) continue;
    unique_fd probe(openat2_in_root(root, join(parts, i + 1), O_PATH, no_symlinks));
    if (probe || errno != ENOENT) continue;
    target[n] = '\0';
    std::string rest = target[0] == '/' ? std::string(target) : join(parts, i) + "/" + target;
    for (size_t k = i + 1; k < parts.size(); k++) rest += "/" + parts[k];
    return make_in_root_depth(root, rest, last, no_symlinks, depth + 1);
  }
  return open_in_root(root, path, O_PATH, no_symlinks);
}

}  // namespace

Result<unique_fd> open_in_root(int root, const std::string& path, int flags, bool no_symlinks) {
  int fd = openat2_in_root(root, path, flags, no_symlinks);
  if (fd < 0) return Error::from_errno("openat2 rootfs" + (path.empty() || path[0] != '/' ? "/" + path : path));
  return unique_fd(fd);
}

Result<unique_fd> make_in_root(int root, const std::string& path, Create last, bool no_symlinks) {
  return make_in_root_depth(root, path, last, no_symlinks, 0);
}

Result<std::pair<unique_fd, std::string>> open_parent_in_root(int root, const std::string& path) {
  auto parts = path_components(path);
  if (parts.empty()) return Error(EINVAL, "no parent for " + path);
  std::string name = parts.back();
  auto dir = TRY(make_in_root(root, join(parts, parts.size() - 1), Create::dir));
  return std::pair{std::move(dir), name};
}

}  // namespace vigil
