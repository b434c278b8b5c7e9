// Where a container's policy comes from, in order: the host's baseline, a named profile the
// container's annotation run.vigil.policy picks, then run.vigil.* annotations. The profile and
// the annotations may only tighten: a pod author cannot turn off what the administrator set.
#pragma once

#include <map>
#include <string>

#include "runtime/base/error.hpp"
#include "runtime/policy/policy.hpp"

namespace vigil::policy {

struct Sources {
  std::string baseline = "/etc/vigil/policy.json";  // --policy; a missing default file is no policy
  bool baseline_given = false;                       // --policy FILE: then it must exist
  std::string profile_dir = "/etc/vigil/policies";   // --policy-dir
};

// The effective policy of a container with these annotations. Errors name the annotation,
// profile or file and the key.
Result<Policy> effective_policy(const Sources& s, const std::map<std::string, std::string>& annotations);

// Annotation prefix vigil owns; every run.vigil.* annotation must be one vigil knows.
inline constexpr std::string_view kAnnotationPrefix = "run.vigil.";

}  // namespace vigil::policy
