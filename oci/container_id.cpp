#include "oci/container_id.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "oci/json_reader.hpp"

namespace vigil::oci {

// The id names a directory under the state root, so it must stay one plain path component.
Status validate_container_id(const std::string& id) {
  if (id.empty()) return Error::msg("container id must not be empty");
  if (id == "." || id == "..") return Error::msg("invalid container id " + quote(id) + ": \".\" and \"..\" are not allowed");
  bool allowed = id.size() <= 1024 && std::all_of(id.begin(), id.end(), [](char c) {
                   return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                          c == '_' || c == '.' || c == '+' || c == '-';
                 });
  if (!allowed)
    return Error::msg("invalid container id " + quote(id) + ": only [A-Za-z0-9_.+-] are allowed, 1 to 1024 of them");
  return {};
}

std::string id_file_name(const std::string& id) {
  constexpr size_t kMaxName = 255, kPrefix = 200;
  if (id.size() <= kMaxName) return id;
  // FNV-1a: a stable name, not a security boundary (the full id is checked against state.json).
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : id) h = (h ^ c) * 1099511628211ull;
  char hex[17];
  snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return id.substr(0, kPrefix) + "-" + hex;
}

}  // namespace vigil::oci
