#include "runtime/seccomp/program.hpp"

#include <cstdint>
#include <cstring>

namespace vigil::seccomp {
namespace {
constexpr size_t kHeader = sizeof(uint32_t) + 1;
}

std::string Program::encode() const {
  std::string out(kHeader + insns.size() * sizeof(sock_filter), '\0');
  uint32_t f = flags;
  std::memcpy(out.data(), &f, sizeof f);
  out[sizeof f] = wait_killable ? 1 : 0;
  if (!insns.empty()) std::memcpy(out.data() + kHeader, insns.data(), insns.size() * sizeof(sock_filter));
  return out;
}

Result<Program> Program::decode(std::string_view bytes) {
  if (bytes.size() <= kHeader || (bytes.size() - kHeader) % sizeof(sock_filter) != 0 ||
      (bytes.size() - kHeader) / sizeof(sock_filter) > BPF_MAXINSNS)
    return Error(EINVAL, "seccomp: not an encoded filter program (" + std::to_string(bytes.size()) + " bytes)");
  Program p;
  uint32_t f;
  std::memcpy(&f, bytes.data(), sizeof f);
  p.flags = f;
  p.wait_killable = bytes[sizeof f] != 0;
  p.insns.resize((bytes.size() - kHeader) / sizeof(sock_filter));
  std::memcpy(p.insns.data(), bytes.data() + kHeader, bytes.size() - kHeader);
  return p;
}

}  // namespace vigil::seccomp
