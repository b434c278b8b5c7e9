#include "oci/container_id.hpp"

#include <gtest/gtest.h>

#include <string>

using vigil::oci::validate_container_id;

namespace {

std::string error_of(const std::string& id) {
  auto st = validate_container_id(id);
  return st.ok() ? "(valid)" : st.error().str();
}

}  // namespace

TEST(ContainerId, AcceptsTheAllowedCharacters) {
  EXPECT_TRUE(validate_container_id("c1").ok());
  EXPECT_TRUE(validate_container_id("a-B_c.d+e9").ok());
  EXPECT_TRUE(validate_container_id("...").ok());
  EXPECT_TRUE(validate_container_id(".hidden").ok());
  EXPECT_TRUE(validate_container_id(std::string(1024, 'x')).ok());
}

TEST(ContainerId, RejectsEmpty) { EXPECT_EQ(error_of(""), "container id must not be empty"); }

TEST(ContainerId, RejectsDotAndDotDot) {
  EXPECT_EQ(error_of("."), R"(invalid container id ".": "." and ".." are not allowed)");
  EXPECT_EQ(error_of(".."), R"(invalid container id "..": "." and ".." are not allowed)");
}

TEST(ContainerId, RejectsSlashAndOtherCharacters) {
  EXPECT_EQ(error_of("a/b"), R"(invalid container id "a/b": only [A-Za-z0-9_.+-] are allowed, 1 to 1024 of them)");
  EXPECT_EQ(error_of("/"), R"(invalid container id "/": only [A-Za-z0-9_.+-] are allowed, 1 to 1024 of them)");
  EXPECT_EQ(error_of("a b"), R"(invalid container id "a b": only [A-Za-z0-9_.+-] are allowed, 1 to 1024 of them)");
  EXPECT_EQ(error_of("a:b"), R"(invalid container id "a:b": only [A-Za-z0-9_.+-] are allowed, 1 to 1024 of them)");
  EXPECT_EQ(error_of("caf\xc3\xa9"),
            R"(invalid container id "café": only [A-Za-z0-9_.+-] are allowed, 1 to 1024 of them)");
}

TEST(ContainerId, QuotesControlCharactersAndInvalidUtf8) {
  EXPECT_EQ(error_of("a\nb"), R"(invalid container id "a\nb": only [A-Za-z0-9_.+-] are allowed, 1 to 1024 of them)");
  EXPECT_EQ(error_of(std::string("a\0b", 3)),
            R"(invalid container id "a\u0000b": only [A-Za-z0-9_.+-] are allowed, 1 to 1024 of them)");
  EXPECT_EQ(error_of("a\xff"), "invalid container id \"a\xef\xbf\xbd\": only [A-Za-z0-9_.+-] are allowed, 1 to 1024 of them");
}

TEST(ContainerId, RejectsMoreThan1024Characters) {
  std::string id(1025, 'x');
  EXPECT_EQ(error_of(id), "invalid container id \"" + id + "\": only [A-Za-z0-9_.+-] are allowed, 1 to 1024 of them");
}
