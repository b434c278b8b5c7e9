#include "runtime/verify/script.hpp"

#include <algorithm>
#include <array>

#include "runtime/base/file.hpp"

namespace vigil::verify {
namespace {

constexpr size_t kBufSize = 256;  // the kernel's BINPRM_BUF_SIZE

bool spacetab(char c) { return c == ' ' || c == '\t'; }

// The kernel's scans, over buf[first..last] inclusive; npos when none matches.
size_t next_non_spacetab(const std::array<char, kBufSize>& buf, size_t first, size_t last) {
  for (; first <= last; first++)
    if (!spacetab(buf[first])) return first;
  return std::string_view::npos;
}
size_t next_terminator(const std::array<char, kBufSize>& buf, size_t first, size_t last) {
  for (; first <= last; first++)
    if (spacetab(buf[first]) || buf[first] == '\0') return first;
  return std::string_view::npos;
}

// buf[first..end) up to its first NUL: the kernel hands on C strings.
std::string c_string(const std::array<char, kBufSize>& buf, size_t first, size_t end) {
  auto b = buf.begin() + first, e = buf.begin() + end;
  return std::string(b, std::find(b, e, '\0'));
}

}  // namespace

// Follows load_script in fs/binfmt_script.c step by step, quirks included: a NUL ends the
// search for the newline, and an argument that runs into a NUL keeps its trailing blanks.
std::optional<Shebang> parse_shebang(std::string_view head) {
  std::array<char, kBufSize> buf{};  // a file shorter than the buffer leaves NULs, as in the kernel's
  head = head.substr(0, kBufSize);
  std::copy(head.begin(), head.end(), buf.begin());
  if (buf[0] != '#' || buf[1] != '!') return std::nullopt;

  const size_t last = kBufSize - 1;
  size_t end = 0;  // one past the line
  while (end < kBufSize && buf[end] != '\0' && buf[end] != '\n') end++;
  if (end == kBufSize || buf[end] != '\n') {
    // No newline: the interpreter's name must end within the buffer (a blank or a NUL
    // after it), else it may be cut short and the kernel refuses the file. The line then
    // runs to the buffer's last byte, which is left out.
    size_t start = next_non_spacetab(buf, 2, last);
    if (start == std::string_view::npos || next_terminator(buf, start, last) == std::string_view::npos)
      return std::nullopt;
    end = last;
  }
  while (spacetab(buf[end - 1])) end--;

  size_t name = next_non_spacetab(buf, 2, end);
  if (name == std::string_view::npos || name == end) return std::nullopt;
  size_t arg = std::string_view::npos;
  size_t sep = next_terminator(buf, name, end);
  if (sep != std::string_view::npos && buf[sep] != '\0') arg = next_non_spacetab(buf, sep, end);

  Shebang s;
  s.interpreter = c_string(buf, name, arg == std::string_view::npos ? end : sep);
  if (s.interpreter.empty()) return std::nullopt;  // "#!" then a NUL: the kernel finds no file ""
  if (arg != std::string_view::npos) s.arg = c_string(buf, arg, end);
  return s;
}

Result<std::optional<Shebang>> read_shebang(int fd) {
  std::string head(kBufSize, '\0');
  head.resize(TRY(pread_full(fd, head.data(), head.size(), 0)));
  return parse_shebang(head);
}

}  // namespace vigil::verify
