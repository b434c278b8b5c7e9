#pragma once

namespace vigil {

// `vigil init SOCK`: the process the parent cloned and re-exec'd from a read-only view of
// vigil. It enters the namespaces, forks the container's init into them, and that one
// sets up the rootfs and the process, waits for `start`, and execs the program.
[[noreturn]] void init_main(int sock);

}  // namespace vigil
