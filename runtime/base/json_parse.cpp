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

// nlohmann's DOM builder, refusing a value that opens level kMaxJsonDepth + 1: the reader
// stops there, before it recurses any deeper.
class BoundedDom {
 public:
  using json = nlohmann::json;
  explicit BoundedDom(json& out) : dom_(out, false) {}
  bool null() { return dom_.null(); }
  bool boolean(bool v) { return dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& s) { return dom_.number_float(v, s); }
  bool string(json::string_t& v) { return dom_.string(v); }
  bool binary(json::binary_t& v) { return dom_.binary(v); }
  bool key(json::string_t& v) { return dom_.key(v); }
  bool start_object(std::size_t n) { return deeper() && dom_.start_object(n); }
  bool end_object() { depth_--; return dom_.end_object(); }
  bool start_array(std::size_t n) { return deeper() && dom_.start_array(n); }
  bool end_array() { depth_--; return dom_.end_array(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    error_ = short_reason(e.what());
    return false;
  }
  // Why the reader stopped; empty when it did not.
  const std::string& error() const { return error_; }

 private:
  bool deeper() {
    if (++depth_ <= kMaxJsonDepth) return true;
    error_ = "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }
  nlohmann::detail::json_sax_dom_parser<json> dom_;
  size_t depth_ = 0;
  std::string error_;
};

}  // namespace

Result<nlohmann::json> parse_cbor(std::string_view bytes, const std::string& what) {
  nlohmann::json out;
  BoundedDom dom(out);
  try {
    bool ok = nlohmann::json::sax_parse(bytes, &dom, nlohmann::json::input_format_t::cbor);
    if (!ok || !dom.error().empty())
      return Error::msg(what + ": invalid CBOR: " + (dom.error().empty() ? "unexpected end" : dom.error()));
  } catch (const nlohmann::json::exception& e) {  // the DOM builder throws on a size it cannot hold
    return Error::msg(what + ": invalid CBOR: " + short_reason(e.what()));
  }
  return out;
}

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
