// Policy globs: the first line is the pattern, the rest the path matched against it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runtime/policy/glob.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto nl = text.find('\n');
  std::string_view pattern = text.substr(0, nl);
  std::string_view path = nl == std::string_view::npos ? "" : text.substr(nl + 1);
  (void)vigil::policy::glob_error(pattern);
  (void)vigil::policy::Glob(pattern).matches(path);
  (void)vigil::policy::glob_match(pattern, path);
  return 0;
}
