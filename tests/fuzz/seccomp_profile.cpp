// A seccomp profile (linux.seccomp, or a file given to podman): validated, then compiled by
// libseccomp with the ENOSYS stub, as create compiles it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runtime/base/json_parse.hpp"
#include "runtime/seccomp/filter.hpp"
#include "runtime/seccomp/profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto doc = vigil::parse_json(std::string_view(reinterpret_cast<const char*>(data), size), "profile.json");
  if (!doc || !vigil::seccomp::profile_requested(*doc)) return 0;
  auto profile = vigil::seccomp::parse_profile(*doc);
  if (profile) (void)vigil::seccomp::build_filter(*profile, nullptr);
  return 0;
}
