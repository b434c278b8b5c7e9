#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>

#include "runtime/base/file.hpp"
#include "runtime/init/spawn.hpp"

namespace vigil {

Result<unique_fd> sealed_self_copy() {
  auto self = TRY(open_fd("/proc/self/exe", O_RDONLY));
  struct stat st;
  if (::fstat(self.get(), &st) < 0) return Error::from_errno("stat /proc/self/exe");
  unique_fd mem(::memfd_create("vigil", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!mem) return Error::from_errno("memfd_create");
  off_t left = st.st_size;
  while (left > 0) {
    ssize_t n = ::sendfile(mem.get(), self.get(), nullptr, size_t(left));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error::from_errno("copy vigil into a memfd");
    left -= n;
  }
  if (::fcntl(mem.get(), F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
    return Error::from_errno("seal the memfd copy of vigil");
  return mem;
}

}  // namespace vigil
