#pragma once

#include <string>

#include "runtime/base/error.hpp"

namespace vigil::oci {

// Accepts [A-Za-z0-9_.+-]{1,1024}, but never "." or "..".
Status validate_container_id(const std::string& id);

// The id as one file name (state directory, cgroup): the id itself when it fits in a path
// component, else its first 200 characters and a hash of the whole.
std::string id_file_name(const std::string& id);

}  // namespace vigil::oci
