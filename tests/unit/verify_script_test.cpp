// `#!` lines read as the kernel reads them (fs/binfmt_script.c); the expectations here were
// checked against Linux 6.18 running each case.
#include "runtime/verify/script.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>

#include "runtime/base/file.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil::verify {
namespace {

void expect_shebang(std::string_view head, const std::string& interpreter, const std::string& arg) {
  auto s = parse_shebang(head);
  ASSERT_TRUE(s.has_value()) << head;
  EXPECT_EQ(s->interpreter, interpreter) << head;
  EXPECT_EQ(s->arg, arg) << head;
}

TEST(VerifyShebang, InterpreterAndOneArgument) {
  expect_shebang("#!/bin/sh\necho hi\n", "/bin/sh", "");
  expect_shebang("#!/bin/sh -e\n", "/bin/sh", "-e");
  // Blanks around both are dropped; the rest of the line, blanks inside it too, is one argument.
  expect_shebang("#! \t/usr/bin/env \t python3 -u \t \nrest", "/usr/bin/env", "python3 -u");
  // No newline: the line ends with the file.
  expect_shebang("#!/bin/sh", "/bin/sh", "");
  expect_shebang("#!/bin/sh -x", "/bin/sh", "-x");
  // A CR is no blank: a CRLF script names "/bin/sh\r", which does not exist.
  expect_shebang("#!/bin/sh\r\n", "/bin/sh\r", "");
}

TEST(VerifyShebang, NulsEndTheStrings) {
  using namespace std::string_literals;
  expect_shebang("#!/bin/sh\0 -x\n"s, "/bin/sh", "");
  expect_shebang("#!/bin/sh -x\0 y\n"s, "/bin/sh", "-x");
  // A NUL also ends the search for the newline, so the argument keeps its trailing blanks,
  // as it does in a file that ends without a newline (the kernel's buffer is NUL-padded).
  expect_shebang("#!/bin/sh -x \0 y\n"s, "/bin/sh", "-x ");
  expect_shebang("#!/bin/sh -x  ", "/bin/sh", "-x  ");
  // The kernel passes an empty argument here, which Shebang cannot tell from none.
  expect_shebang("#!/bin/sh \0\n"s, "/bin/sh", "");
  // "#!" then a NUL names no file.
  EXPECT_FALSE(parse_shebang("#!\0/bin/sh\n"s));
}

TEST(VerifyShebang, FirstLineWithin256Bytes) {
  // The argument may be cut short: the line stops at the buffer's last byte, left out.
  std::string long_arg = "#!/bin/sh " + std::string(300, 'a') + "\n";
  expect_shebang(long_arg, "/bin/sh", std::string(256 - 1 - 10, 'a'));
  // The interpreter may not: without a blank after it within the buffer the file is refused.
  EXPECT_FALSE(parse_shebang("#!/" + std::string(300, 'p')));
  EXPECT_FALSE(parse_shebang("#!" + std::string(254, 'p')));
  expect_shebang("#!" + std::string(253, 'p') + " ", std::string(253, 'p'), "");
  expect_shebang("#!" + std::string(253, 'p') + "\t-x", std::string(253, 'p'), "");
  expect_shebang("#!" + std::string(251, 'p') + " -x", std::string(251, 'p'), "-");
  // Blanks fill the line: after them, the interpreter is past the buffer.
  EXPECT_FALSE(parse_shebang("#!" + std::string(300, ' ') + "/bin/sh\n"));
  expect_shebang("#!/bin/sh" + std::string(300, ' ') + "x", "/bin/sh", "");
}

TEST(VerifyShebang, NoInterpreter) {
  for (std::string head : {"", "#", "#!", "#!\n/bin/sh\n", "#!  \t \n", "# !/bin/sh\n", "\x7f" "ELF", "echo hi\n"})
    EXPECT_FALSE(parse_shebang(head)) << head;
}

TEST(VerifyShebang, ReadsTheFileHead) {
  internal::TempDir dir;
  auto script = open_fd(dir.write("s", "#!/bin/busybox sh\n" + std::string(100000, '#')), O_RDONLY).value();
  auto s = read_shebang(script.get());
  ASSERT_TRUE(s.ok()) << s.error().str();
  ASSERT_TRUE(s->has_value());
  EXPECT_EQ((*s)->interpreter, "/bin/busybox");
  EXPECT_EQ((*s)->arg, "sh");
  auto empty = open_fd(dir.write("e", ""), O_RDONLY).value();
  EXPECT_FALSE(read_shebang(empty.get()).value().has_value());
  EXPECT_EQ(read_shebang(-1).error().code(), EBADF);
}

}  // namespace
}  // namespace vigil::verify
