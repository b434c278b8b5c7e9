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
