// A policy file: validated, then turned into the exec section the supervisor judges by and
// the paths section's plan (what Landlock holds).
#include <cstddef>
#include <cstdint>
#include <string>

#include "runtime/policy/exec_policy.hpp"
#include "runtime/policy/paths_plan.hpp"
#include "runtime/policy/policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto policy = vigil::policy::parse_policy(std::string(reinterpret_cast<const char*>(data), size), "policy.json");
  if (!policy) return 0;
  auto exec = vigil::policy::exec_policy(*policy);
  (void)exec.match("/usr/bin/env");
  (void)exec.judges_exec();
  (void)vigil::policy::plan_paths(vigil::policy::paths_policy(*policy));
  return 0;
}
