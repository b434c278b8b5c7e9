#include "runtime/container/container.hpp"
#include "runtime/supervisor/filter.hpp"
#include "runtime/supervisor/memory_rlimits.hpp"
#include "runtime/supervisor/memory_watch.hpp"

namespace vigil {

policy::MemoryPolicy supervised_memory(const policy::Policy& policy, const oci::Spec& spec) {
  auto m = supervisor::resolve_container_max(policy::memory_policy(policy), spec.linux.resources);
  // Learning, every call that commits memory is seen, so that the peaks are known, and a
  // limit only warns.
  if (policy.learn()) {
    m.action = policy::Action::warn;
    if (!m.max) m.max = policy::kNoLimit;
    if (!m.container_max) m.container_max = policy::kNoLimit;
  }
  return m;
}

Status supervise_request(InitRequest& req, const oci::Spec& spec, const policy::Policy& policy,
                         const policy::ExecPolicy& exec, policy::AccessSet judged_paths, const std::string& root) {
  const auto memory = supervised_memory(policy, spec);
  supervisor::apply_memory_rlimits(req.spec["process"], memory);
  const auto watch = supervisor::memory_watch(memory, supervisor::supervisor_sets_data_limit(spec));
  // Where the supervisor keeps soft limits below the hard ones, no process may raise its own.
  bool guard_rlimits = supervisor::may_raise_rlimits(spec, memory) || watch.data_room;
  req.supervisor = TRY(supervisor::notify_program(seccomp_cache_dir(root), exec, watch, guard_rlimits, judged_paths));
  return {};
}

}  // namespace vigil
