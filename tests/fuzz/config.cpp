// config.json: parsed and validated into an oci::Spec, then its seccomp profile and its
// resources, as create reads them.
#include <cstddef>
#include <cstdint>
#include <string>

#include "oci/parse.hpp"
#include "runtime/cgroup/resources.hpp"
#include "runtime/seccomp/profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> warnings;
  auto spec = vigil::oci::parse_spec(std::string(reinterpret_cast<const char*>(data), size), "config.json", &warnings);
  if (!spec) return 0;
  if (vigil::seccomp::profile_requested(spec->linux.seccomp)) (void)vigil::seccomp::parse_profile(spec->linux.seccomp);
  (void)vigil::cgroup::parse_resources(spec->linux.resources, "linux.resources");
  return 0;
}
