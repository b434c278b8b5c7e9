#include "runtime/base/log.hpp"
#include "runtime/container/container.hpp"
#include "runtime/seccomp/cache.hpp"

namespace vigil {

Result<seccomp::Program> compile_seccomp(const seccomp::Profile& profile, const oci::Spec& spec, const std::string& root) {
  std::vector<std::string> notes;
  // ':' is not allowed in container ids, so no container can own this name.
  auto program = seccomp::compile_cached(profile, spec.raw.at("linux").at("seccomp"), root + "/:seccomp-cache", &notes);
  for (const auto& n : notes) log_debug(n);
  return program;
}

}  // namespace vigil
