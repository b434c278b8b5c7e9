#include "runtime/verify/elf.hpp"

#include <elf.h>
#include <limits.h>

#include <bit>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "runtime/base/file.hpp"

namespace vigil::verify {

bool ElfInfo::pie() const { return type == ET_DYN; }

namespace {

struct Elf32 {
  using Ehdr = Elf32_Ehdr;
  using Phdr = Elf32_Phdr;
  using Dyn = Elf32_Dyn;
};
struct Elf64 {
  using Ehdr = Elf64_Ehdr;
  using Phdr = Elf64_Phdr;
  using Dyn = Elf64_Dyn;
};

// The kernel's limit on the program header table (load_elf_phdrs).
constexpr size_t kMaxPhdrBytes = 65536;
// Far beyond any real dynamic section (glibc's have a few dozen entries); bounds the read.
constexpr uint64_t kMaxDynamicBytes = 1 << 20;

Error bad(const std::string& what) { return Error(EINVAL, "ELF: " + what); }

// Fields as the host reads them: big-endian files are byte-swapped on little-endian hosts.
struct ByteOrder {
  bool swap;
  template <class T>
  T operator()(T v) const {
    if (!swap) return v;
    using U = std::make_unsigned_t<T>;
    static_assert(sizeof(U) == 2 || sizeof(U) == 4 || sizeof(U) == 8);
    if constexpr (sizeof(U) == 2) return T(__builtin_bswap16(U(v)));
    else if constexpr (sizeof(U) == 4) return T(__builtin_bswap32(U(v)));
    else return T(__builtin_bswap64(U(v)));
  }
};

// The n bytes at `offset`, which the headers say are in the file.
Status read_at(int fd, void* buf, uint64_t offset, uint64_t n, const std::string& what) {
  if (offset > uint64_t(std::numeric_limits<off_t>::max()) - n) return bad(what + " at an offset out of range");
  size_t got = TRY(pread_full(fd, buf, size_t(n), off_t(offset)));
  if (got < n) return bad(what + " past the end of the file");
  return {};
}

// The kernel's rules (load_elf_binary): 2 to PATH_MAX bytes ending in NUL; the path is
// what comes before the first NUL.
template <class C>
Result<std::string> read_interp(int fd, const typename C::Phdr& p, ByteOrder h) {
  uint64_t size = h(p.p_filesz);
  if (size < 2 || size > PATH_MAX) return bad("PT_INTERP of " + std::to_string(size) + " bytes");
  std::string path(size, '\0');
  TRY(read_at(fd, path.data(), h(p.p_offset), size, "PT_INTERP"));
  if (path.back() != '\0') return bad("PT_INTERP is not NUL-terminated");
  path.resize(std::strlen(path.c_str()));
  return path;
}

// Whether the entries at the segment's file offset, up to DT_NULL, include DT_SONAME.
template <class C>
Result<bool> has_soname(int fd, const typename C::Phdr& p, ByteOrder h) {
  uint64_t size = h(p.p_filesz);
  if (size > kMaxDynamicBytes) return bad("PT_DYNAMIC of " + std::to_string(size) + " bytes");
  std::vector<typename C::Dyn> dyn(size / sizeof(typename C::Dyn));
  TRY(read_at(fd, dyn.data(), h(p.p_offset), dyn.size() * sizeof dyn[0], "PT_DYNAMIC"));
  for (const auto& d : dyn) {
    auto tag = h(d.d_tag);
    if (tag == DT_NULL) break;
    if (tag == DT_SONAME) return true;
  }
  return false;
}

template <class C>
Result<ElfInfo> parse(int fd, const unsigned char* header, ByteOrder h) {
  typename C::Ehdr eh;
  std::memcpy(&eh, header, sizeof eh);
  ElfInfo info;
  info.is_elf = true;
  info.elf32 = std::is_same_v<C, Elf32>;
  info.type = h(eh.e_type);
  info.machine = h(eh.e_machine);

  using Phdr = typename C::Phdr;
  size_t phnum = h(eh.e_phnum);
  // The kernel runs no ELF file without program headers, nor one whose entries are not
  // its own Phdr.
  if (phnum == 0) return bad("no program headers");
  if (h(eh.e_phentsize) != sizeof(Phdr)) return bad("e_phentsize " + std::to_string(h(eh.e_phentsize)));
  if (phnum * sizeof(Phdr) > kMaxPhdrBytes) return bad(std::to_string(phnum) + " program headers");
  std::vector<Phdr> phdrs(phnum);
  TRY(read_at(fd, phdrs.data(), h(eh.e_phoff), phnum * sizeof(Phdr), "program headers"));

  info.exec_stack = true;  // until a PT_GNU_STACK says otherwise
  for (const auto& p : phdrs) {
    uint32_t flags = h(p.p_flags);
    switch (h(p.p_type)) {
      case PT_LOAD:
        info.wx_segment |= (flags & PF_W) && (flags & PF_X);
        break;
      case PT_GNU_STACK:  // the last one counts, as for the kernel
        info.exec_stack = flags & PF_X;
        break;
      case PT_INTERP:  // the first one counts, as for the kernel
        if (!info.has_interp) {
          info.interp = TRY(read_interp<C>(fd, p, h));
          info.has_interp = true;
        }
        break;
      case PT_DYNAMIC:  // any of them: a hostile file may have several
        if (!info.has_soname) info.has_soname = TRY(has_soname<C>(fd, p, h));
        break;
    }
  }
  return info;
}

}  // namespace

Result<ElfInfo> read_elf(int fd) {
  unsigned char header[sizeof(Elf64_Ehdr)];
  size_t n = TRY(pread_full(fd, header, sizeof header, 0));
  if (n < EI_NIDENT || std::memcmp(header, ELFMAG, SELFMAG) != 0) return ElfInfo{};
  unsigned char cls = header[EI_CLASS], data = header[EI_DATA];
  if (cls != ELFCLASS32 && cls != ELFCLASS64) return bad("EI_CLASS " + std::to_string(cls));
  if (data != ELFDATA2LSB && data != ELFDATA2MSB) return bad("EI_DATA " + std::to_string(data));
  // Too short for its own header: not a file the kernel would load as ELF.
  if (n < (cls == ELFCLASS32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr))) return ElfInfo{};
  ByteOrder h{(data == ELFDATA2MSB) != (std::endian::native == std::endian::big)};
  if (cls == ELFCLASS32) return parse<Elf32>(fd, header, h);
  return parse<Elf64>(fd, header, h);
}

}  // namespace vigil::verify
