#pragma once

#include <csignal>

#include "runtime/base/error.hpp"
#include "runtime/terminal/proxy.hpp"

namespace vigil {

// Every signal a process can catch, except the ones that are about us rather than the container.
sigset_t forwarded_signals();

// Forwards the (blocked) signals in `set` to the process behind `pidfd`, our child, until it
// exits; returns its exit code (128+N when killed by signal N). With a terminal to proxy,
// copies between it and our stdio meanwhile, and SIGWINCH resizes it instead.
Result<int> wait_forwarding(int pidfd, const sigset_t& set, TerminalProxy* tty = nullptr);

}  // namespace vigil
