#pragma once

#include <string>

#include "runtime/base/error.hpp"

namespace vigil {

// "KILL", "SIGKILL", "9", "SIGRTMIN+3", "RTMAX-1" → the signal number.
Result<int> parse_signal(const std::string& s);

}  // namespace vigil
