#include "cmd/units.hpp"

#include <cctype>

namespace vigil::cmd {
namespace {

bool split_number(const std::string& s, int64_t& value, std::string& unit) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') i++;
  size_t digits = i;
  while (i < s.size() && isdigit(static_cast<unsigned char>(s[i]))) i++;
  if (i == digits) return false;
  try {
    value = std::stoll(s.substr(0, i));
  } catch (...) {
    return false;
  }
  unit = s.substr(i);
  for (auto& c : unit) c = char(tolower(static_cast<unsigned char>(c)));
  return true;
}

}  // namespace

Result<int64_t> parse_bytes(const std::string& s) {
  int64_t v;
  std::string unit;
  if (!split_number(s, v, unit)) return Error(EINVAL, "invalid size \"" + s + "\"");
  if (v < 0) return v == -1 && unit.empty() ? Result<int64_t>(-1) : Error(EINVAL, "invalid size \"" + s + "\"");
  if (!unit.empty() && unit.back() == 'b') unit.pop_back();
  if (unit.empty()) return v;
  int shift = unit == "k" ? 10 : unit == "m" ? 20 : unit == "g" ? 30 : unit == "t" ? 40 : -1;
  if (shift < 0) return Error(EINVAL, "invalid size \"" + s + "\": unknown unit");
  return v << shift;
}

Result<int> parse_duration_ms(const std::string& s) {
  int64_t v;
  std::string unit;
  if (!split_number(s, v, unit) || v <= 0) return Error(EINVAL, "invalid duration \"" + s + "\"");
  if (unit == "ms") return int(v);
  if (unit == "s" || unit.empty()) return int(v * 1000);
  if (unit == "m") return int(v * 60000);
  if (unit == "h") return int(v * 3600000);
  return Error(EINVAL, "invalid duration \"" + s + "\": use ms, s, m or h");
}

}  // namespace vigil::cmd
