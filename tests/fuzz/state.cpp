// A container's state.json, as state, kill and delete read it back.
#include <cstddef>
#include <cstdint>
#include <string>

#include "oci/state.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto s = vigil::oci::state_from_json(std::string(reinterpret_cast<const char*>(data), size));
  if (s) (void)vigil::oci::public_state(*s, "running");
  return 0;
}
