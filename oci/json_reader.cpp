#include "oci/json_reader.hpp"

#include <algorithm>
#include <limits>

namespace vigil::oci {

using Json = nlohmann::json;

namespace {

bool plain_word(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// A NUL would silently cut the string short once it reaches a syscall.
bool string_without_nul(const Json& j) {
  return j.is_string() && j.get_ref<const std::string&>().find('\0') == std::string::npos;
}

}  // namespace

// Invalid UTF-8 (possible in a container id from the command line) is replaced, not thrown on.
std::string quote(std::string_view s) { return Json(s).dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string JsonReader::member_path(std::string_view key) const {
  if (plain_word(key)) return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  return path_ + "[" + quote(key) + "]";
}

JsonReader JsonReader::element(size_t i) const {
  return JsonReader((*j_)[i], path_ + "[" + std::to_string(i) + "]");
}

std::optional<JsonReader> JsonReader::member(std::string_view key) const {
  if (!j_->is_object()) return std::nullopt;
  auto it = j_->find(key);
  if (it == j_->end() || it->is_null()) return std::nullopt;
  return JsonReader(*it, member_path(key));
}

Result<std::optional<JsonReader>> JsonReader::object(std::string_view key) const {
  auto m = member(key);
  if (m && !m->json().is_object()) return m->error("must be an object");
  return m;
}

Result<std::vector<JsonReader>> JsonReader::array(std::string_view key) const {
  std::vector<JsonReader> out;
  auto m = member(key);
  if (!m) return out;
  if (!m->json().is_array()) return m->error("must be an array");
  for (size_t i = 0; i < m->json().size(); i++) out.push_back(m->element(i));
  return out;
}

Result<std::vector<std::pair<std::string, JsonReader>>> JsonReader::members() const {
  if (!j_->is_object()) return error("must be an object");
  std::vector<std::pair<std::string, JsonReader>> out;
  for (const auto& [key, value] : j_->items()) out.emplace_back(key, JsonReader(value, member_path(key)));
  return out;
}

Status JsonReader::to(bool& out) const {
  if (!j_->is_boolean()) return error("must be a boolean");
  out = j_->get<bool>();
  return {};
}

Status JsonReader::to(std::string& out) const {
  if (!j_->is_string()) return error("must be a string");
  if (!string_without_nul(*j_)) return error("must not contain a NUL character");
  out = j_->get<std::string>();
  return {};
}

// nlohmann stores non-negative integers as unsigned and negative ones as signed;
// floats (even 1.0) are rejected, as Go's encoding/json does for integer fields.
Status JsonReader::to(uint32_t& out) const {
  if (!j_->is_number_unsigned() || j_->get<uint64_t>() > std::numeric_limits<uint32_t>::max())
    return error("must be an unsigned 32-bit integer");
  out = j_->get<uint32_t>();
  return {};
}

Status JsonReader::to(uint64_t& out) const {
  if (!j_->is_number_unsigned()) return error("must be an unsigned 64-bit integer");
  out = j_->get<uint64_t>();
  return {};
}

Status JsonReader::to(int64_t& out) const {
  bool fits = j_->is_number_integer() &&
              (!j_->is_number_unsigned() ||
               j_->get<uint64_t>() <= uint64_t(std::numeric_limits<int64_t>::max()));
  if (!fits) return error("must be a 64-bit integer");
  out = j_->get<int64_t>();
  return {};
}

Status JsonReader::to(int& out) const {
  int64_t v = 0;
  if (!to(v).ok() || v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
    return error("must be a 32-bit integer");
  out = int(v);
  return {};
}

Status JsonReader::to(std::vector<std::string>& out) const {
  if (!j_->is_array() || !std::all_of(j_->begin(), j_->end(), string_without_nul))
    return error("must be an array of strings");
  out = j_->get<std::vector<std::string>>();
  return {};
}

Status JsonReader::to(std::vector<uint32_t>& out) const {
  std::vector<uint32_t> v(j_->is_array() ? j_->size() : 0);
  bool ok = j_->is_array();
  for (size_t i = 0; ok && i < v.size(); i++) ok = element(i).to(v[i]).ok();
  if (!ok) return error("must be an array of unsigned 32-bit integers");
  out = std::move(v);
  return {};
}

Status JsonReader::to(std::map<std::string, std::string>& out) const {
  if (!j_->is_object()) return error("must be an object");
  std::map<std::string, std::string> m;
  for (const auto& [key, value] : j_->items()) {
    if (key.find('\0') != std::string::npos) return error("must not have a key containing a NUL character");
    std::string v;
    TRY(JsonReader(value, member_path(key)).to(v));
    m.emplace(key, std::move(v));
  }
  out = std::move(m);
  return {};
}

}  // namespace vigil::oci
