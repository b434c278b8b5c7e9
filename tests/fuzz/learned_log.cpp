// A learn-mode log, as `vigil policy suggest FILE` reads any file it is given: its lines
// read back, then turned into a policy, which must always be one `policy check` accepts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "runtime/policy/learned.hpp"
#include "runtime/policy/policy.hpp"
#include "runtime/policy/suggest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto seen = vigil::policy::read_learned(std::string_view(reinterpret_cast<const char*>(data), size));
  vigil::policy::SuggestOptions o;
  o.checksums = size % 2;
  auto s = vigil::policy::suggest_policy(seen, o);
  if (!vigil::policy::validate(s.policy, "suggested").empty()) std::abort();
  return 0;
}
