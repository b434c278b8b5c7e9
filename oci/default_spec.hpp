#pragma once

#include <nlohmann/json.hpp>

namespace vigil::oci {

// The config.json that `vigil spec` writes; `rootless` maps the caller's uid/gid to root
// in a user namespace and shares the host network, as `runc spec --rootless` does.
nlohmann::json default_spec(bool rootless);

}  // namespace vigil::oci
