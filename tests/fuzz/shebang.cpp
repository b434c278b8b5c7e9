// The `#!` line of a script the container wrote, as the kernel would read it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runtime/verify/script.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)vigil::verify::parse_shebang(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
