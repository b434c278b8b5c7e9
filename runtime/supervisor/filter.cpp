#include "runtime/supervisor/filter.hpp"

#include "runtime/seccomp/cache.hpp"

namespace vigil::supervisor {

Result<seccomp::Program> notify_program(const std::string& cache_dir) {
  // What the supervisor watches: every program a process of the container runs.
  const std::vector<std::string> watched = {"execve", "execveat"};
  const nlohmann::json raw = {
      {"defaultAction", "SCMP_ACT_ALLOW"},
      {"syscalls", {{{"names", watched}, {"action", "SCMP_ACT_NOTIFY"}}}},
      {"flags", {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}},
      {"vigil", "supervisor"},  // keeps its cache entry apart from any profile of the same rules
  };
  seccomp::Profile p;
  p.default_action = seccomp::Action::allow;
  // A process killed while it waits for the supervisor's answer dies at once.
  p.flags = std::vector<seccomp::Flag>{seccomp::Flag::wait_killable_recv};
  p.syscalls.push_back({watched, seccomp::Action::notify, std::nullopt, {}});
  return seccomp::compile_cached(p, raw, cache_dir, nullptr);
}

}  // namespace vigil::supervisor
