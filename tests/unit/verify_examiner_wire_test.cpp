#include <gtest/gtest.h>

#include "runtime/verify/examiner_wire.hpp"

namespace vigil::verify {
namespace {

TEST(ExaminerWire, FactsRoundTrip) {
  Facts f;
  f.elf.is_elf = true;
  f.elf.has_interp = true;
  f.elf.interp = std::string("/lib/ld\xff.so", 11);  // any bytes, not only UTF-8
  f.elf.type = 3;
  f.elf.machine = 62;
  f.elf.exec_stack = true;
  auto back = decode_facts_reply(encode_facts_reply(f));
  ASSERT_TRUE(back.ok()) << back.error().str();
  EXPECT_EQ(back->elf.interp, f.elf.interp);
  EXPECT_TRUE(back->elf.is_elf && back->elf.has_interp && back->elf.exec_stack);
  EXPECT_FALSE(back->elf.elf32 || back->elf.wx_segment || back->elf.has_soname || back->shebang);
  EXPECT_EQ(back->elf.type, 3);
  EXPECT_EQ(back->elf.machine, 62);
  Facts script;
  script.shebang = Shebang{"/bin/sh", "-e"};
  auto s = decode_facts_reply(encode_facts_reply(script));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->shebang->interpreter, "/bin/sh");
  EXPECT_EQ(s->shebang->arg, "-e");
}

TEST(ExaminerWire, ErrorsAndDigestsRoundTrip) {
  auto e = decode_facts_reply(encode_facts_reply(Error(EINVAL, "ELF: PT_INTERP of 1 bytes")));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code(), EINVAL);
  EXPECT_EQ(e.error().what(), "examiner: ELF: PT_INTERP of 1 bytes");
  auto d = decode_digest_reply(encode_digest_reply(std::string("0123abcd")));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, "0123abcd");
}

TEST(ExaminerWire, WhatNoExaminerSaysIsRefused) {
  Facts f;
  f.elf.is_elf = true;
  std::string good = encode_facts_reply(f);
  for (size_t cut = 0; cut < good.size(); cut++)
    EXPECT_FALSE(decode_facts_reply(good.substr(0, cut)).ok()) << "cut at " << cut;
  EXPECT_FALSE(decode_facts_reply(good + "x").ok());
  EXPECT_FALSE(decode_digest_reply(good).ok());  // a facts reply where a digest was asked
  EXPECT_FALSE(decode_digest_reply(encode_digest_reply(std::string("ABC"))).ok());
  EXPECT_FALSE(decode_digest_reply(encode_digest_reply(std::string())).ok());
  // A shebang on an ELF file.
  Facts both;
  both.elf.is_elf = true;
  both.shebang = Shebang{"/bin/sh", ""};
  EXPECT_FALSE(decode_facts_reply(encode_facts_reply(both)).ok());
  // A string longer than any the examiner sends.
  std::string huge(1, '\1');
  huge += std::string(5, '\0');
  uint32_t n = 1u << 20;
  huge.append(reinterpret_cast<const char*>(&n), sizeof n);
  EXPECT_FALSE(decode_facts_reply(huge).ok());
}

}  // namespace
}  // namespace vigil::verify
