#include <gtest/gtest.h>

#include "runtime/policy/glob.hpp"

namespace vigil::policy {
namespace {

TEST(Glob, StarStaysInItsDirectoryDoubleStarDoesNot) {
  EXPECT_TRUE(glob_match("/usr/bin/*", "/usr/bin/ls"));
  EXPECT_FALSE(glob_match("/usr/bin/*", "/usr/bin/a/b"));
  EXPECT_TRUE(glob_match("/usr/bin/nc*", "/usr/bin/nc.openbsd"));
  EXPECT_FALSE(glob_match("/usr/bin/nc*", "/usr/bin/ls"));
  EXPECT_TRUE(glob_match("/usr/**", "/usr/bin/ls"));
  EXPECT_TRUE(glob_match("/usr/**", "/usr/lib/x86_64-linux-gnu/libc.so.6"));
  EXPECT_FALSE(glob_match("/usr/**", "/usr"));
  EXPECT_FALSE(glob_match("/usr/**", "/usrx/bin"));
  EXPECT_TRUE(glob_match("/lib**", "/lib64/ld-linux-x86-64.so.2"));
  EXPECT_TRUE(glob_match("/bin/sh", "/bin/sh"));
  EXPECT_FALSE(glob_match("/bin/sh", "/bin/sh2"));
}

TEST(Glob, DoubleStarSlashMatchesNoDirectoryToo) {
  EXPECT_TRUE(glob_match("/a/**/b", "/a/b"));
  EXPECT_TRUE(glob_match("/a/**/b", "/a/x/b"));
  EXPECT_TRUE(glob_match("/a/**/b", "/a/x/y/b"));
  EXPECT_FALSE(glob_match("/a/**/b", "/a/xb"));
  EXPECT_FALSE(glob_match("/a/**/b", "/ab"));
  EXPECT_FALSE(glob_match("/a/**/b", "/a/b/c"));
  EXPECT_TRUE(glob_match("/**/sh", "/sh"));
  EXPECT_TRUE(glob_match("/**/sh", "/usr/bin/sh"));
  EXPECT_FALSE(glob_match("/**/sh", "/usr/bin/bash"));
}

TEST(Glob, QuestionMarkAndClasses) {
  EXPECT_TRUE(glob_match("/bin/?s", "/bin/ls"));
  EXPECT_FALSE(glob_match("/bin/?s", "/bin/s"));
  EXPECT_FALSE(glob_match("/bin?ls", "/bin/ls"));
  EXPECT_TRUE(glob_match("/bin/[a-c]at", "/bin/bat"));
  EXPECT_FALSE(glob_match("/bin/[a-c]at", "/bin/dat"));
  EXPECT_TRUE(glob_match("/bin/[!a-c]at", "/bin/dat"));
  EXPECT_FALSE(glob_match("/bin/[!a-c]at", "/bin/cat"));
  EXPECT_TRUE(glob_match("/bin/[^a-c]at", "/bin/rat"));
  EXPECT_FALSE(glob_match("/bin[!x]ls", "/bin/ls"));  // a class never matches `/`
  EXPECT_TRUE(glob_match("/x/[]a]", "/x/]"));         // a leading `]` is a member
  EXPECT_TRUE(glob_match("/x/[!]]", "/x/a"));
  EXPECT_FALSE(glob_match("/x/[!]]", "/x/]"));
  EXPECT_TRUE(glob_match("/x/[a-]", "/x/-"));  // a `-` last is a member
  EXPECT_TRUE(glob_match("/x/[ab0-9]", "/x/7"));
}

TEST(Glob, EscapesMakeLiterals) {
  EXPECT_TRUE(glob_match("/bin/\\*", "/bin/*"));
  EXPECT_FALSE(glob_match("/bin/\\*", "/bin/ls"));
  EXPECT_TRUE(glob_match("/bin/\\[x\\]", "/bin/[x]"));
  EXPECT_TRUE(glob_match("/bin/\\?", "/bin/?"));
  EXPECT_FALSE(glob_match("/bin/\\?", "/bin/a"));
  EXPECT_TRUE(glob_match("/x/[\\]]", "/x/]"));
}

TEST(Glob, ErrorsSayWhatIsWrong) {
  EXPECT_EQ(glob_error("/usr/bin/**"), std::nullopt);
  EXPECT_EQ(glob_error("/bin/[a-"), "[a-: unterminated class");
  EXPECT_EQ(glob_error("/bin/[]"), "[]: unterminated class");
  EXPECT_EQ(glob_error("/bin/[z-a]"), "z-a: reversed range in a class");
  EXPECT_EQ(glob_error("/bin/x\\"), "a trailing \\ escapes nothing");
  EXPECT_EQ(glob_error("bin/*"), "must be an absolute path");
  EXPECT_EQ(glob_error(""), "must be an absolute path");
  EXPECT_FALSE(glob_match("/bin/[a-", "/bin/a"));
}

TEST(Glob, TimeGrowsWithPatternTimesPathNotExponentially) {
  std::string path = "/" + std::string(4000, 'a');
  EXPECT_FALSE(glob_match("/**a**a**a**a**a**a**a**a**a**a**b", path));
  EXPECT_TRUE(glob_match("/**a**a**a**a**a**a**a**a**a**a**", path));
}

}  // namespace
}  // namespace vigil::policy
