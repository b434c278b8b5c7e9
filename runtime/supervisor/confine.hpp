// The supervisor confines itself once it is set up, before it starts its threads (which
// inherit it): no_new_privs, and a seccomp allow-list of the system calls its work needs. Anything else fails with EPERM,
// so a supervisor subverted through what it reads from the container can do little.
#pragma once

#include <string>

#include "runtime/base/error.hpp"
#include "runtime/seccomp/program.hpp"

namespace vigil::supervisor {

// The allow-list, compiled (through the cache in `cache_dir`) by create before it forks the
// supervisor, so the supervisor itself only loads it.
Result<seccomp::Program> confinement(const std::string& cache_dir);
Status confine(const seccomp::Program& allow_list);

}  // namespace vigil::supervisor
