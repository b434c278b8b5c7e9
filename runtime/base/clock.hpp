#pragma once

#include <string>

namespace vigil {

// Now, as RFC 3339 in UTC with nanoseconds: "2026-11-29T03:31:16.123456789Z".
std::string rfc3339_now();

}  // namespace vigil
