#pragma once

#include "runtime/seccomp/program.hpp"

namespace vigil {

// A supervised container's supervisor (runtime/supervisor/), forked by create with SOCK to
// it: it seizes the container's init, watches the seccomp listeners, takes `vigil exec`'s processes
// on its socket, and exits when the container's last process is gone.
// `allow_list` is what it confines itself to (supervisor::confinement).
[[noreturn]] void supervisor_main(int sock, const seccomp::Program& allow_list);

}  // namespace vigil
