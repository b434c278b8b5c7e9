// ELF facts from real binaries and from hostile, hand-made headers.
#include "runtime/verify/elf.hpp"

#include <elf.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <limits.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "runtime/base/file.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil::verify {
namespace {

Result<ElfInfo> elf_of_path(const std::string& path) {
  auto fd = TRY(open_fd(path, O_RDONLY));
  return read_elf(fd.get());
}

Result<ElfInfo> elf_of(const std::string& bytes) {
  internal::TempDir dir;
  return elf_of_path(dir.write("f", bytes));
}

template <class T>
T order(T v, bool big) {
  if (!big) return v;
  if constexpr (sizeof(T) == 2) return T(__builtin_bswap16(uint16_t(v)));
  else if constexpr (sizeof(T) == 4) return T(__builtin_bswap32(uint32_t(v)));
  else return T(__builtin_bswap64(uint64_t(v)));
}

struct Segment {
  uint32_t type = PT_LOAD;
  uint32_t flags = PF_R;
  uint64_t offset = 0, filesz = 0;
};

// A hand-made ELF file: its header, its program headers right after it, then `data`, which
// starts at data_offset<Ehdr, Phdr>(segments.size()).
template <class Ehdr, class Phdr>
struct Maker {
  static uint64_t data_offset(size_t phnum) { return sizeof(Ehdr) + phnum * sizeof(Phdr); }

  std::vector<Segment> segments;
  std::string data;
  bool big = false;
  uint16_t type = ET_DYN;
  int phentsize = sizeof(Phdr);  // what e_phentsize says
  int phnum = -1;                // what e_phnum says; -1: segments.size()

  std::string bytes() const {
    Ehdr eh{};
    std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = sizeof(Ehdr) == sizeof(Elf32_Ehdr) ? ELFCLASS32 : ELFCLASS64;
    eh.e_ident[EI_DATA] = big ? ELFDATA2MSB : ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = order<uint16_t>(type, big);
    eh.e_machine = order<uint16_t>(sizeof(Ehdr) == sizeof(Elf32_Ehdr) ? EM_386 : EM_X86_64, big);
    eh.e_version = order<uint32_t>(EV_CURRENT, big);
    eh.e_phoff = order<decltype(eh.e_phoff)>(sizeof(Ehdr), big);
    eh.e_ehsize = order<uint16_t>(sizeof(Ehdr), big);
    eh.e_phentsize = order<uint16_t>(uint16_t(phentsize), big);
    eh.e_phnum = order<uint16_t>(uint16_t(phnum < 0 ? segments.size() : size_t(phnum)), big);
    std::string out(reinterpret_cast<const char*>(&eh), sizeof eh);
    for (const auto& s : segments) {
      Phdr p{};
      p.p_type = order(s.type, big);
      p.p_flags = order(s.flags, big);
      p.p_offset = order<decltype(p.p_offset)>(decltype(p.p_offset)(s.offset), big);
      p.p_filesz = order<decltype(p.p_filesz)>(decltype(p.p_filesz)(s.filesz), big);
      out.append(reinterpret_cast<const char*>(&p), sizeof p);
    }
    return out + data;
  }
};
using Elf64Maker = Maker<Elf64_Ehdr, Elf64_Phdr>;
using Elf32Maker = Maker<Elf32_Ehdr, Elf32_Phdr>;

// An executable with a PT_INTERP naming `interp` (its NUL included) and the usual segments.
template <class M>
M dynamic_exec(const std::string& interp, bool big = false) {
  M m;
  m.big = big;
  uint64_t at = M::data_offset(4);
  m.segments = {{PT_INTERP, PF_R, at, interp.size() + 1},
                {PT_LOAD, PF_R | PF_X},
                {PT_LOAD, PF_R | PF_W},
                {PT_GNU_STACK, PF_R | PF_W}};
  m.data = interp + '\0';
  return m;
}

void expect_invalid(const Result<ElfInfo>& r, const std::string& what) {
  ASSERT_FALSE(r.ok()) << what;
  EXPECT_EQ(r.error().code(), EINVAL) << what;
  EXPECT_EQ(r.error().what().rfind("ELF: ", 0), 0u) << r.error().what();
}

TEST(VerifyElf, HostBinaries) {
  for (const char* p : {"/bin/busybox", "/bin/ls", "/lib64/ld-linux-x86-64.so.2"})
    if (::access(p, R_OK) != 0) GTEST_SKIP() << p << " is missing";
  // Debian's busybox-static: a static, non-PIE executable.
  auto bb = elf_of_path("/bin/busybox");
  ASSERT_TRUE(bb.ok()) << bb.error().str();
  EXPECT_TRUE(bb->is_elf);
  EXPECT_FALSE(bb->elf32);
  EXPECT_EQ(bb->type, ET_EXEC);
  EXPECT_FALSE(bb->pie());
  EXPECT_FALSE(bb->has_interp);
  EXPECT_FALSE(bb->exec_stack);
  EXPECT_FALSE(bb->wx_segment);
  EXPECT_FALSE(bb->has_soname);

  auto ls = elf_of_path("/bin/ls");
  ASSERT_TRUE(ls.ok()) << ls.error().str();
  EXPECT_TRUE(ls->pie());
  EXPECT_EQ(ls->machine, EM_X86_64);
  EXPECT_TRUE(ls->has_interp);
  EXPECT_EQ(ls->interp, "/lib64/ld-linux-x86-64.so.2");
  EXPECT_FALSE(ls->exec_stack);
  EXPECT_FALSE(ls->has_soname);

  // The dynamic loader, which also runs as a program: a shared library without PT_INTERP.
  auto ld = elf_of_path("/lib64/ld-linux-x86-64.so.2");
  ASSERT_TRUE(ld.ok()) << ld.error().str();
  EXPECT_TRUE(ld->has_soname);
  EXPECT_FALSE(ld->has_interp);
  EXPECT_TRUE(ld->pie());
}

TEST(VerifyElf, StackAndWritableCode) {
  auto plain = elf_of(dynamic_exec<Elf64Maker>("/lib/ld.so").bytes());
  ASSERT_TRUE(plain.ok()) << plain.error().str();
  EXPECT_TRUE(plain->is_elf);
  EXPECT_EQ(plain->interp, "/lib/ld.so");
  EXPECT_FALSE(plain->exec_stack);
  EXPECT_FALSE(plain->wx_segment);

  auto m = dynamic_exec<Elf64Maker>("/lib/ld.so");
  m.segments[3].flags = PF_R | PF_W | PF_X;
  EXPECT_TRUE(elf_of(m.bytes())->exec_stack);
  m.segments[3].type = PT_NOTE;  // no PT_GNU_STACK at all: the stack is executable
  EXPECT_TRUE(elf_of(m.bytes())->exec_stack);

  m = dynamic_exec<Elf64Maker>("/lib/ld.so");
  m.segments[2].flags = PF_R | PF_W | PF_X;
  auto wx = elf_of(m.bytes());
  EXPECT_TRUE(wx->wx_segment);
  EXPECT_FALSE(wx->exec_stack);
}

TEST(VerifyElf, Elf32AndBigEndian) {
  auto e32 = elf_of(dynamic_exec<Elf32Maker>("/lib/ld-linux.so.2").bytes());
  ASSERT_TRUE(e32.ok()) << e32.error().str();
  EXPECT_TRUE(e32->elf32);
  EXPECT_EQ(e32->machine, EM_386);
  EXPECT_TRUE(e32->pie());
  EXPECT_EQ(e32->interp, "/lib/ld-linux.so.2");
  EXPECT_FALSE(e32->exec_stack);

  for (bool elf32 : {false, true}) {
    auto r = elf32 ? elf_of(dynamic_exec<Elf32Maker>("/lib/ld.so.1", true).bytes())
                   : elf_of(dynamic_exec<Elf64Maker>("/lib/ld.so.1", true).bytes());
    ASSERT_TRUE(r.ok()) << r.error().str();
    EXPECT_EQ(r->elf32, elf32);
    EXPECT_EQ(r->type, ET_DYN);
    EXPECT_EQ(r->interp, "/lib/ld.so.1");
    EXPECT_FALSE(r->exec_stack);
  }
}

TEST(VerifyElf, Soname) {
  Elf64Maker m;
  uint64_t at = Elf64Maker::data_offset(2);
  auto dyn = [](std::vector<std::pair<int64_t, uint64_t>> entries) {
    std::string out;
    for (auto [tag, val] : entries) {
      Elf64_Dyn d{};
      d.d_tag = tag;
      d.d_un.d_val = val;
      out.append(reinterpret_cast<const char*>(&d), sizeof d);
    }
    return out;
  };
  m.data = dyn({{DT_NEEDED, 1}, {DT_SONAME, 9}, {DT_NULL, 0}});
  m.segments = {{PT_LOAD, PF_R | PF_X}, {PT_DYNAMIC, PF_R | PF_W, at, m.data.size()}};
  EXPECT_TRUE(elf_of(m.bytes())->has_soname);
  // What follows DT_NULL is not part of the table.
  m.data = dyn({{DT_NEEDED, 1}, {DT_NULL, 0}, {DT_SONAME, 9}});
  EXPECT_FALSE(elf_of(m.bytes())->has_soname);
  // A table that runs past the end of the file.
  m.segments[1].filesz = 4096;
  expect_invalid(elf_of(m.bytes()), "PT_DYNAMIC past the end");
  m.segments[1].filesz = uint64_t(1) << 40;
  expect_invalid(elf_of(m.bytes()), "a huge PT_DYNAMIC");
}

TEST(VerifyElf, HostileProgramHeaders) {
  auto m = dynamic_exec<Elf64Maker>("/lib/ld.so");
  m.phnum = 6;  // two more than there are: the table runs past the end of the file
  m.data.clear();
  expect_invalid(elf_of(m.bytes()), "truncated program headers");

  m = dynamic_exec<Elf64Maker>("/lib/ld.so");
  m.phentsize = sizeof(Elf32_Phdr);
  expect_invalid(elf_of(m.bytes()), "e_phentsize");
  m.phentsize = sizeof(Elf64_Phdr);
  m.phnum = 0;
  expect_invalid(elf_of(m.bytes()), "no program headers");
  m.phnum = 0xffff;  // PN_XNUM, and far more than the kernel reads
  expect_invalid(elf_of(m.bytes()), "too many program headers");
}

TEST(VerifyElf, HostileInterp) {
  auto m = dynamic_exec<Elf64Maker>("/lib/ld.so");
  m.segments[0].offset = 1 << 20;  // out of the file
  expect_invalid(elf_of(m.bytes()), "interp past the end");
  m.segments[0].offset = UINT64_MAX - 2;  // offset + size overflows
  expect_invalid(elf_of(m.bytes()), "interp offset overflow");

  m = dynamic_exec<Elf64Maker>("/lib/ld.so");
  m.data = "/lib/ld.so!";  // no NUL at the end
  expect_invalid(elf_of(m.bytes()), "unterminated interp");
  m.segments[0].filesz = 1;
  expect_invalid(elf_of(m.bytes()), "interp of 1 byte");
  m.segments[0].filesz = PATH_MAX + 1;
  m.data = std::string(PATH_MAX + 1, '\0');
  expect_invalid(elf_of(m.bytes()), "interp longer than PATH_MAX");

  // The kernel opens the path up to its first NUL.
  m = dynamic_exec<Elf64Maker>(std::string("/lib/ld.so\0/evil", 16));
  EXPECT_EQ(elf_of(m.bytes())->interp, "/lib/ld.so");
}

TEST(VerifyElf, NotElf) {
  // Empty, text, magic cut short, too short for EI_NIDENT, NULs, an ELF64 header cut short.
  for (std::string bytes : {std::string(), std::string("#!/bin/sh\necho hi\n"), std::string("\x7f" "EL"),
                            std::string("\x7f" "ELF\x02\x01\x01"), std::string(100, '\0'),
                            Elf64Maker{}.bytes().substr(0, 40)}) {
    auto r = elf_of(bytes);
    ASSERT_TRUE(r.ok()) << r.error().str();
    EXPECT_FALSE(r->is_elf) << bytes.size() << " bytes";
  }
  // ELF magic, but an ELF header of no known class or byte order.
  std::string bad_class = Elf64Maker{}.bytes();
  bad_class[EI_CLASS] = 3;
  expect_invalid(elf_of(bad_class), "EI_CLASS");
  std::string bad_data = Elf64Maker{}.bytes();
  bad_data[EI_DATA] = 0;
  expect_invalid(elf_of(bad_data), "EI_DATA");
}

TEST(VerifyElf, ReadsWithPreadOnly) {
  internal::TempDir dir;
  auto fd = open_fd(dir.write("f", dynamic_exec<Elf64Maker>("/lib/ld.so").bytes()), O_RDONLY).value();
  ASSERT_EQ(::lseek(fd.get(), 0, SEEK_END), off_t(Elf64Maker::data_offset(4) + 11));
  auto r = read_elf(fd.get());
  ASSERT_TRUE(r.ok()) << r.error().str();
  EXPECT_EQ(r->interp, "/lib/ld.so");
  EXPECT_EQ(::lseek(fd.get(), 0, SEEK_CUR), off_t(Elf64Maker::data_offset(4) + 11));
  EXPECT_EQ(read_elf(-1).error().code(), EBADF);
}

}  // namespace
}  // namespace vigil::verify
