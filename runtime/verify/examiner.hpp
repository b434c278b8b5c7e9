// Who reads a file's contents for verification: its ELF headers, its `#!` line, its digest.
// The files are the container's, so their parsing is where a hostile file would strike.
// LocalExaminer reads them in the calling process (tests, `vigil policy hash`); the
// supervisor asks a confined process of its own (supervisor/examiner_process.hpp).
#pragma once

#include <optional>
#include <string>

#include "runtime/base/error.hpp"
#include "runtime/verify/digest.hpp"
#include "runtime/verify/elf.hpp"
#include "runtime/verify/script.hpp"

namespace vigil::verify {

struct Facts {
  ElfInfo elf;
  std::optional<Shebang> shebang;  // only for a file that is not ELF
};

class Examiner {
 public:
  virtual ~Examiner() = default;
  // `fd` is open for reading; it is read with pread only.
  virtual Result<Facts> facts(int fd) = 0;
  virtual Result<std::string> digest(int fd, DigestAlgo algo) = 0;
};

class LocalExaminer final : public Examiner {
 public:
  Result<Facts> facts(int fd) override;
  Result<std::string> digest(int fd, DigestAlgo algo) override { return file_digest(fd, algo); }
};

}  // namespace vigil::verify
