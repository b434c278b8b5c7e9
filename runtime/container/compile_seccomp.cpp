#include "runtime/base/log.hpp"
#include "runtime/container/container.hpp"
#include "runtime/seccomp/cache.hpp"

namespace vigil {

std::string seccomp_cache_dir(const std::string& root) {
  // ':' is not allowed in container ids, so no container can own this name.
  return root + "/:seccomp-cache";
}

Result<seccomp::Program> compile_seccomp(const seccomp::Profile& profile, const oci::Spec& spec, const std::string& root) {
  std::vector<std::string> notes;
  auto program = seccomp::compile_cached(profile, spec.raw.at("linux").at("seccomp"), seccomp_cache_dir(root), &notes);
  for (const auto& n : notes) log_debug(n);
  return program;
}

}  // namespace vigil
