#pragma once

#include <string>

#include "runtime/base/error.hpp"

namespace vigil::oci {

// Accepts [A-Za-z0-9_.+-]{1,1024}, but never "." or "..".
Status validate_container_id(const std::string& id);

}  // namespace vigil::oci
