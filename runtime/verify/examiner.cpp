#include "runtime/verify/examiner.hpp"

namespace vigil::verify {

Result<Facts> LocalExaminer::facts(int fd) {
  Facts f;
  f.elf = TRY(read_elf(fd));
  if (!f.elf.is_elf) f.shebang = TRY(read_shebang(fd));
  return f;
}

}  // namespace vigil::verify
