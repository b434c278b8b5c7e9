#pragma once

namespace vigil {

// A supervised container's supervisor (runtime/supervisor/), forked by create with SOCK to
// it: it seizes the container's init, watches the seccomp listeners, takes `vigil exec`'s processes
// on its socket, and exits when the container's last process is gone.
[[noreturn]] void supervisor_main(int sock);

}  // namespace vigil
