// Human numbers on the command line, as runc takes them: "512m" bytes, "5s" durations.
#pragma once

#include <cstdint>
#include <string>

#include "runtime/base/error.hpp"

namespace vigil::cmd {

// "1024", "512k", "64m", "1g" (binary multiples, any case), "-1" (unlimited).
Result<int64_t> parse_bytes(const std::string& s);
// "250ms", "5s", "1m", "1h", or bare seconds.
Result<int> parse_duration_ms(const std::string& s);

}  // namespace vigil::cmd
