#pragma once

#include "runtime/supervisor/launch.hpp"

namespace vigil {

// A supervised container's supervisor (runtime/supervisor/), forked by create with SOCK to
// it: it seizes the container's init for life, watches the seccomp listeners (the init's,
// and those `vigil exec` hands in on its socket), seizes each process whose exec it allows
// until its exec stop, and exits when the container is over.
// `r` says which container and what to enforce; the init and its listener come over `sock`,
// and the outcome goes back on it.
[[noreturn]] void supervisor_main(int sock, const supervisor::LaunchRequest& r);

}  // namespace vigil
