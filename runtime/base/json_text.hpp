// JSON text for logs and the audit log. Paths and messages may carry any bytes (a container
// names its files as it likes); nlohmann throws on bytes that are not UTF-8, so they are
// replaced (U+FFFD) instead: a line is never lost, and never aborts the writer.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace vigil {

inline std::string json_text(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace vigil
