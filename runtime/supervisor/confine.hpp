// The supervisor confines itself once it is set up, before it starts its threads (which
// inherit it): no_new_privs, and a seccomp allow-list of the system calls its work needs. Anything else fails with EPERM,
// so a supervisor subverted through what it reads from the container can do little.
#pragma once

#include <string>

#include "runtime/base/error.hpp"

namespace vigil::supervisor {

Status confine(const std::string& cache_dir);

}  // namespace vigil::supervisor
