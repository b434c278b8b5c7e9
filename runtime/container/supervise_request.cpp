#include "runtime/container/container.hpp"
#include "runtime/supervisor/filter.hpp"
#include "runtime/supervisor/memory_rlimits.hpp"

namespace vigil {

Status supervise_request(InitRequest& req, const oci::Spec& spec, const policy::Policy& policy,
                         const policy::ExecPolicy& exec, const std::string& root) {
  const auto memory = policy::memory_policy(policy);
  supervisor::apply_memory_rlimits(req.spec["process"], memory);
  req.supervisor =
      TRY(supervisor::notify_program(seccomp_cache_dir(root), exec, supervisor::may_raise_rlimits(spec, memory)));
  return {};
}

}  // namespace vigil
