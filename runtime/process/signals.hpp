#pragma once

#include <string>

#include "runtime/base/error.hpp"

namespace vigil {

// "KILL", "SIGKILL", "9", "SIGRTMIN+3", "RTMAX-1" → the signal number.
Result<int> parse_signal(const std::string& s);

// Every signal to its default disposition and none blocked, as a program expects to start.
// Raw system calls: glibc refuses to touch its own two real-time signals, which a caller may
// have left ignored, and this runs between fork and exec (async-signal-safe).
void reset_signals_for_exec();

}  // namespace vigil
