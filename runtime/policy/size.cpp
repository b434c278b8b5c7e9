#include "runtime/policy/size.hpp"

namespace vigil::policy {
namespace {

constexpr std::string_view kUnits = "KMGT";

}  // namespace

std::optional<uint64_t> parse_size(std::string_view text) {
  if (text.empty() || text.size() > 24) return std::nullopt;
  unsigned shift = 0;
  if (auto u = kUnits.find(text.back()); u != std::string_view::npos) {
    shift = 10 * (static_cast<unsigned>(u) + 1);
    text.remove_suffix(1);
  }
  if (text.empty()) return std::nullopt;
  uint64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    if (n > (UINT64_C(1) << 63) / 10) return std::nullopt;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  if (n > (UINT64_C(1) << 63) >> shift) return std::nullopt;
  return n << shift;
}

std::string size_text(uint64_t bytes) {
  unsigned u = 0;
  while (u < kUnits.size() && bytes != 0 && bytes % 1024 == 0) {
    bytes /= 1024;
    ++u;
  }
  return std::to_string(bytes) + (u ? std::string(1, kUnits[u - 1]) : "");
}

}  // namespace vigil::policy
