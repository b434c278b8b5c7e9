#include "runtime/base/json_parse.hpp"

#include <algorithm>
#include <iterator>

namespace vigil {
namespace {

// "line L, column C" of byte offset `byte` (1-based, as nlohmann counts; 0 = the start).
// Columns count characters, not UTF-8 continuation bytes.
std::string line_and_column(std::string_view text, size_t byte) {
  auto at = text.begin() + std::min(byte > 0 ? byte - 1 : 0, text.size());
  auto line = 1 + std::count(text.begin(), at, '\n');
  auto line_start = std::find(std::make_reverse_iterator(at), text.rend(), '\n').base();
  auto column = 1 + std::count_if(line_start, at, [](unsigned char c) { return (c & 0xC0) != 0x80; });
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// The reason alone from nlohmann's message: without its id, its own position, its
// "syntax error while parsing value - " preamble and the echo of the bytes it last read.
std::string short_reason(std::string what) {
  if (auto id_end = what.find("] "); what.starts_with("[json.exception.") && id_end != std::string::npos)
    what.erase(0, id_end + 2);
  if (auto colon = what.find(": "); what.starts_with("parse error") && colon != std::string::npos)
    what.erase(0, colon + 2);
  if (auto dash = what.find(" - "); what.starts_with("syntax error") && dash != std::string::npos)
    what.erase(0, dash + 3);
  if (auto echo = what.find("; last read: '"); echo != std::string::npos) {
    auto expected = what.rfind("; expected ");
    what = what.substr(0, echo) + (expected != std::string::npos && expected > echo ? what.substr(expected) : "");
  }
  return what;
}

// The offset (1-based) of the bracket that opens level kMaxJsonDepth + 1, or 0. Brackets
// inside strings do not count; the text need not be valid JSON (the parser judges that).
size_t too_deep_at(std::string_view text) {
  size_t depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < text.size(); i++) {
    char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i + 1;
    } else if ((c == ']' || c == '}') && depth > 0) {
      depth--;
    }
  }
  return 0;
}

}  // namespace

Result<nlohmann::json> parse_json(std::string_view text, const std::string& what) {
  if (size_t at = too_deep_at(text))
    return Error::msg(what + ": invalid JSON at " + line_and_column(text, at) + ": nested deeper than " +
                             std::to_string(kMaxJsonDepth) + " levels");
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return Error::msg(what + ": invalid JSON at " + line_and_column(text, e.byte) + ": " + short_reason(e.what()));
  } catch (const nlohmann::json::exception& e) {  // number overflow ("1e999"): no position to give
    return Error::msg(what + ": invalid JSON: " + short_reason(e.what()));
  }
}

}  // namespace vigil
