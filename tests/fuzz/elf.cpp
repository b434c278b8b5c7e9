// ELF headers as exec verification reads them from a file the container wrote.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

#include "runtime/base/unique_fd.hpp"
#include "runtime/verify/elf.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // One memfd for the whole run, refilled: read_elf reads with pread, as from a real file.
  static vigil::unique_fd fd(::memfd_create("fuzz-elf", MFD_CLOEXEC));
  if (::ftruncate(fd.get(), 0) < 0 || ::pwrite(fd.get(), data, size, 0) != ssize_t(size)) return 0;
  (void)vigil::verify::read_elf(fd.get());
  return 0;
}
