// `#!` scripts as the kernel reads them (fs/binfmt_script.c): the first line, within the
// first 256 bytes, names the interpreter and at most one argument.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "runtime/base/error.hpp"

namespace vigil::verify {

struct Shebang {
  std::string interpreter;
  std::string arg;  // empty when none (and for the empty one the kernel passes after "#!/bin/sh \0")
};

// nullopt when `head` (the file's first bytes) does not start with "#!" or names no interpreter.
std::optional<Shebang> parse_shebang(std::string_view head);
Result<std::optional<Shebang>> read_shebang(int fd);

}  // namespace vigil::verify
