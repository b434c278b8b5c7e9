// The examiner's replies, as the supervisor decodes them: the examiner has read a hostile
// file, so what it says may be hostile too.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runtime/verify/examiner_wire.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)vigil::verify::decode_facts_reply(bytes);
  (void)vigil::verify::decode_digest_reply(bytes);
  return 0;
}
