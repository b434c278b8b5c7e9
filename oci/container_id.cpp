#include "oci/container_id.hpp"

#include <algorithm>

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

}  // namespace vigil::oci
