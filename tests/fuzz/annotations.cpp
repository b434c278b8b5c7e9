// run.vigil.* annotations, which a pod's author sets: "KEY=VALUE" lines over no baseline.
#include <cstddef>
#include <cstdint>
#include <map>
#include <sstream>
#include <string>

#include "runtime/policy/sources.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::map<std::string, std::string> annotations;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  for (std::string line; std::getline(in, line);) {
    auto eq = line.find('=');
    annotations[line.substr(0, eq)] = eq == std::string::npos ? "" : line.substr(eq + 1);
  }
  vigil::policy::Sources none{.baseline = "/nonexistent/policy.json", .baseline_given = false,
                              .profile_dir = "/nonexistent/policies"};
  (void)vigil::policy::effective_policy(none, annotations);
  return 0;
}
