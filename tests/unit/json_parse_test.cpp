#include <gtest/gtest.h>

#include <string>

#include "runtime/base/json_parse.hpp"

namespace vigil {
namespace {

std::string nested(size_t depth, const std::string& open = "[", const std::string& close = "]") {
  std::string s;
  for (size_t i = 0; i < depth; i++) s += open;
  for (size_t i = 0; i < depth; i++) s += close;
  return s;
}

std::string error_of(const std::string& text) {
  auto r = parse_json(text, "in.json");
  return r ? "" : r.error().str();
}

TEST(JsonParse, DepthUpToTheLimitParses) {
  auto r = parse_json(nested(kMaxJsonDepth), "in.json");
  ASSERT_TRUE(r.ok()) << r.error().str();
  EXPECT_TRUE(r->is_array());
}

TEST(JsonParse, DeeperIsRefusedWithThePlaceOfTheFirstBracketTooMany) {
  std::string limit = std::to_string(kMaxJsonDepth);
  std::string col = std::to_string(kMaxJsonDepth + 1);
  EXPECT_EQ(error_of(nested(kMaxJsonDepth + 1)),
            "in.json: invalid JSON at line 1, column " + col + ": nested deeper than " + limit + " levels");
  EXPECT_EQ(error_of(nested(100000)),
            "in.json: invalid JSON at line 1, column " + col + ": nested deeper than " + limit + " levels");
  // Objects count as arrays do, and so does a mix.
  std::string objects;
  for (size_t i = 0; i <= kMaxJsonDepth; i++) objects += "{\"a\":";
  EXPECT_NE(error_of(objects + "1" + std::string(kMaxJsonDepth + 1, '}')).find("nested deeper"), std::string::npos);
  // Unterminated: still refused for its depth, before the parser reads to the end.
  EXPECT_NE(error_of(std::string(200000, '[')).find("nested deeper"), std::string::npos);
}

TEST(JsonParse, BracketsInStringsDoNotCount) {
  std::string brackets(5000, '[');
  auto r = parse_json("{\"s\": \"" + brackets + "\\\"" + brackets + "\"}", "in.json");
  ASSERT_TRUE(r.ok()) << r.error().str();
  EXPECT_EQ(r->at("s").get<std::string>().size(), 10001u);
}

TEST(JsonParse, SyntaxErrorsNameLineAndColumn) {
  EXPECT_EQ(error_of("{\n  \"a\": [1,\n}"), "in.json: invalid JSON at line 3, column 1: unexpected '}'; expected '[', '{', or a literal");
  EXPECT_EQ(error_of("[1e999]"), "in.json: invalid JSON: number overflow parsing '1e999'");
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

TEST(CborParse, RoundTripsAndRefusesDeepNesting) {
  nlohmann::json j = {{"a", {1, 2, {{"b", nlohmann::json::binary_t({1, 2, 3})}}}}};
  auto bytes = nlohmann::json::to_cbor(j);
  auto back = parse_cbor(std::string(bytes.begin(), bytes.end()), "req");
  ASSERT_TRUE(back.ok()) << back.error().str();
  EXPECT_EQ(*back, j);
  // 200000 nested one-element arrays (0x81) overflowed the stack of nlohmann's reader.
  std::string deep(200000, '\x81');
  deep += '\0';
  auto r = parse_cbor(deep, "req");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().str(), "req: invalid CBOR: nested deeper than 1024 levels");
  EXPECT_FALSE(parse_cbor(std::string(1, '\x82'), "req").ok());
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

TEST(CborParse, AnArraySizeTooBigIsAnErrorNotAnException) {
  // An array claiming 0x9b9b9b9b9b9b9b9b elements (what the fuzzer found): nlohmann's DOM
  // builder throws out_of_range on it.
  std::string bytes(9, '\x9b');
  auto r = parse_cbor(bytes, "req");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().str().find("req: invalid CBOR: excessive array size"), std::string::npos) << r.error().str();
}

}  // namespace
}  // namespace vigil
