#include "runtime/verify/path_digest.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include "runtime/base/file.hpp"
#include "runtime/rootfs/resolve.hpp"

namespace vigil::verify {
namespace {

Result<unique_fd> open_path(const std::string& path, const std::string& root_dir) {
  if (root_dir.empty()) return open_fd(path, O_PATH);
  auto root = TRY(open_fd(root_dir, O_PATH | O_DIRECTORY));
  return open_in_root(root.get(), path, O_PATH);
}

std::string kind(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFDIR: return "a directory";
    case S_IFCHR: return "a character device";
    case S_IFBLK: return "a block device";
    case S_IFIFO: return "a FIFO";
    case S_IFSOCK: return "a socket";
    default: return "a special file";
  }
}

}  // namespace

Result<std::string> path_digest(const std::string& path, DigestAlgo algo, const std::string& root_dir) {
  // O_PATH until the file is known to be regular: opening a FIFO blocks, and opening a
  // device node (an image may carry any) can act on the device.
  auto where = TRY(open_path(path, root_dir));
  struct stat st;
  if (::fstat(where.get(), &st) < 0) return Error::from_errno("fstat");
  if (!S_ISREG(st.st_mode)) return Error::msg(kind(st.st_mode) + ", not a regular file");
  auto fd = TRY(open_fd("/proc/self/fd/" + std::to_string(where.get()), O_RDONLY));
  return file_digest(fd.get(), algo);
}

}  // namespace vigil::verify
