#pragma once

#include "runtime/supervisor/launch.hpp"

namespace vigil {

// A supervised container's supervisor (runtime/supervisor/), forked by create with SOCK to
// it: it seizes the container's init, watches the seccomp listeners, takes `vigil exec`'s processes
// on its socket, and exits when the container's last process is gone.
// `r` says which container and what to enforce; the init and its listener come over `sock`,
// and the outcome goes back on it.
[[noreturn]] void supervisor_main(int sock, const supervisor::LaunchRequest& r);

}  // namespace vigil
