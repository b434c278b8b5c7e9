// A host's policy files for the policy tests: the baseline (policy.json) and profiles, in a temp dir.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "runtime/policy/policy.hpp"
#include "runtime/policy/sources.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil::policy::internal {

struct PolicyHost {
  vigil::internal::TempDir dir;
  Sources sources;
  PolicyHost() {
    sources.baseline = dir.path() + "/policy.json";
    sources.profile_dir = dir.path();
  }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir.path() + "/" + name) << text; }
};

// What validate says of a policy's text, as file p.json.
inline std::vector<std::string> problems(const char* text) { return validate(nlohmann::json::parse(text), "p.json"); }

}  // namespace vigil::policy::internal
