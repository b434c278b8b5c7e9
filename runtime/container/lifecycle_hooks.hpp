// poststart and poststop, run by the CLI: their failures are warnings (runtime-spec), their
// output goes to the log.
#pragma once

#include <string>

#include "oci/state.hpp"

namespace vigil {

// kind: "poststart" (status running) or "poststop" (status stopped).
void run_post_hooks(const char* kind, const oci::ContainerState& s);

}  // namespace vigil
