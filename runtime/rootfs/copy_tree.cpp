#include "runtime/rootfs/copy_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "runtime/base/unique_fd.hpp"

namespace vigil {
namespace {

Result<std::vector<std::string>> entries(int dir) {
  int fd = ::openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Error::from_errno("open directory");
  DIR* d = ::fdopendir(fd);
  if (!d) {
    ::close(fd);
    return Error::from_errno("read directory");
  }
  std::vector<std::string> out;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") out.push_back(name);
  }
  ::closedir(d);
  return out;
}

Status copy_file(int from, int to, const std::string& name, const struct stat& st) {
  unique_fd in(::openat(from, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!in) return Error::from_errno("open " + name);
  unique_fd out(::openat(to, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st.st_mode & 07777));
  if (!out) return Error::from_errno("create " + name);
  for (off_t left = st.st_size; left > 0;) {
    ssize_t n = ::sendfile(out.get(), in.get(), nullptr, size_t(left));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno("copy " + name);
    if (n == 0) break;  // the file shrank meanwhile
    left -= n;
  }
  return {};
}

// Owner, mode and times, on the entry itself (never through a link).
Status copy_attributes(int to, const std::string& name, const struct stat& st) {
  if (::fchownat(to, name.c_str(), st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
    return Error::from_errno("chown " + name);
  if (!S_ISLNK(st.st_mode) && ::fchmodat(to, name.c_str(), st.st_mode & 07777, 0) < 0)
    return Error::from_errno("chmod " + name);
  timespec times[2] = {st.st_atim, st.st_mtim};
  if (::utimensat(to, name.c_str(), times, AT_SYMLINK_NOFOLLOW) < 0) return Error::from_errno("set times of " + name);
  return {};
}

}  // namespace

Status copy_tree(int from, int to) {
  for (const auto& name : TRY(entries(from))) {
    struct stat st;
    if (::fstatat(from, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) return Error::from_errno("stat " + name);
    if (S_ISDIR(st.st_mode)) {
      if (::mkdirat(to, name.c_str(), 0700) < 0) return Error::from_errno("mkdir " + name);
      unique_fd sub_from(::openat(from, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      unique_fd sub_to(::openat(to, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!sub_from || !sub_to) return Error::from_errno("open directory " + name);
      TRY_CTX(copy_tree(sub_from.get(), sub_to.get()), name);
    } else if (S_ISREG(st.st_mode)) {
      TRY(copy_file(from, to, name, st));
    } else if (S_ISLNK(st.st_mode)) {
      std::string target(size_t(st.st_size) + 1, '\0');
      ssize_t n = ::readlinkat(from, name.c_str(), target.data(), target.size());
      if (n < 0) return Error::from_errno("readlink " + name);
      target.resize(size_t(n));
      if (::symlinkat(target.c_str(), to, name.c_str()) < 0) return Error::from_errno("symlink " + name);
    } else {
      continue;
    }
    TRY(copy_attributes(to, name, st));
  }
  return {};
}

}  // namespace vigil
