// A read-only view of one JSON value that knows its path in the document
// ("linux.uidMappings[0].size"), so every type error says where it is.
// An absent member and a null one both mean "not given", as in Go's encoding/json.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/base/error.hpp"

namespace vigil::oci {

// `s` as a JSON string literal, for values quoted in messages: "dev/x".
std::string quote(std::string_view s);

class JsonReader {
 public:
  // `j` must outlive the reader and every reader derived from it.
  JsonReader(const nlohmann::json& j, std::string path) : j_(&j), path_(std::move(path)) {}

  const nlohmann::json& json() const { return *j_; }
  const std::string& path() const { return path_; }
  // "<path> <what>", e.g. error("must be > 0").
  Error error(const std::string& what) const { return Error::msg(path_ + " " + what); }
  // The path of member `key`: "a.b", or a["x.y"] when the key is not a plain word.
  std::string member_path(std::string_view key) const;

  // Member `key` of this object; nullopt when absent or null (or this is not an object).
  std::optional<JsonReader> member(std::string_view key) const;

  // Converts member `key` into `out`; absent or null leaves `out` untouched.
  template <class T>
  Status get(std::string_view key, T& out) const {
    auto m = member(key);
    if (!m) return {};
    return m->to(out);
  }
  // Like get(), but absence is an error: "<path> is required".
  template <class T>
  Status require(std::string_view key, T& out) const {
    auto m = member(key);
    if (!m) return Error::msg(member_path(key) + " is required");
    return m->to(out);
  }

  // Member `key`, checked to be an object; nullopt when absent or null.
  Result<std::optional<JsonReader>> object(std::string_view key) const;
  // The elements of array member `key`; empty when absent or null.
  Result<std::vector<JsonReader>> array(std::string_view key) const;
  // The members of this value, which must be an object.
  Result<std::vector<std::pair<std::string, JsonReader>>> members() const;

  // Conversions of this value; the error names the expected type.
  Status to(bool& out) const;
  Status to(std::string& out) const;
  Status to(uint32_t& out) const;
  Status to(uint64_t& out) const;
  Status to(int64_t& out) const;
  Status to(int& out) const;
  Status to(std::vector<std::string>& out) const;
  Status to(std::vector<uint32_t>& out) const;
  Status to(std::map<std::string, std::string>& out) const;
  template <class T>
  Status to(std::optional<T>& out) const {
    T v{};
    TRY(to(v));
    out = std::move(v);
    return {};
  }

 private:
  JsonReader element(size_t i) const;

  const nlohmann::json* j_;
  std::string path_;
};

}  // namespace vigil::oci
