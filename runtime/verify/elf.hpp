// What exec verification needs to know of an ELF file, read from its headers with pread
// only (the file may be hostile: every offset and count is bounds-checked). ELF32 and
// ELF64, in either byte order.
#pragma once

#include <cstdint>
#include <string>

#include "runtime/base/error.hpp"

namespace vigil::verify {

struct ElfInfo {
  bool is_elf = false;  // false: not ELF at all (the other fields are unset)
  bool elf32 = false;
  uint16_t type = 0;  // ET_EXEC, ET_DYN, ...
  uint16_t machine = 0;
  bool has_interp = false;  // PT_INTERP: dynamically linked
  std::string interp;       // its path
  bool exec_stack = false;  // PT_GNU_STACK with PF_X, or no PT_GNU_STACK at all
  bool wx_segment = false;  // a PT_LOAD both writable and executable
  bool has_soname = false;  // DT_SONAME: a shared library (ld.so, libc.so.6 are run as programs with it)
  bool pie() const;         // ET_DYN
};

// A file too short or with a different magic is not ELF (is_elf false); an ELF file with
// headers that do not hold together is an error (EINVAL, "ELF: …").
Result<ElfInfo> read_elf(int fd);

}  // namespace vigil::verify
