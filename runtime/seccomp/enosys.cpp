#include "runtime/seccomp/enosys.hpp"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#include <cerrno>
#include <cstddef>
#include <map>

#include "runtime/seccomp/filter.hpp"

namespace vigil::seccomp {
namespace {

constexpr uint32_t kX32Bit = 0x40000000;  // __X32_SYSCALL_BIT
constexpr uint32_t kNrOffset = offsetof(seccomp_data, nr);
constexpr uint32_t kArchOffset = offsetof(seccomp_data, arch);

// What one AUDIT_ARCH_* value gets: the thresholds of its ABIs (x86_64 carries two).
struct ArchLimits {
  int native = -1;  // the largest call number, or -1 when the profile names none here
  int x32 = -1;     // only on AUDIT_ARCH_X86_64
  bool s390 = false;
};

bool wanted(const Profile& p) {
  switch (p.default_action) {
    case Action::allow:
    case Action::log:
    case Action::trace: return false;
    case Action::errno_ret: return p.default_errno_or_default() != ENOSYS;
    default: return true;
  }
}

int largest_number(const Profile& p, uint32_t token) {
  int largest = -1;
  for (const auto& rule : p.syscalls)
    for (const auto& name : rule.names)
      // Negative: unknown there, or one of libseccomp's pseudo numbers.
      largest = std::max(largest, seccomp_syscall_resolve_name_arch(token, name.c_str()));
  return largest;
}

sock_filter stmt(uint16_t code, uint32_t k) { return BPF_STMT(code, k); }
sock_filter jump(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf) { return BPF_JUMP(code, k, jt, jf); }

// One architecture's checks; every jump stays inside the section, whose last instruction
// is a jump to libseccomp's program (fixed up by the caller).
std::vector<sock_filter> section(uint32_t arch, const ArchLimits& l) {
  const sock_filter enosys = stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
  const sock_filter to_filter = stmt(BPF_JMP | BPF_JA, 0);
  std::vector<sock_filter> s = {stmt(BPF_LD | BPF_W | BPF_ABS, kNrOffset)};
  if (l.s390) s.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0));  // → ENOSYS, past the jgt
  if (arch == AUDIT_ARCH_X86_64 && l.native >= 0 && l.x32 >= 0) {
    s.push_back(jump(BPF_JMP | BPF_JSET | BPF_K, kX32Bit, 1, 0));
    s.push_back(jump(BPF_JMP | BPF_JGT | BPF_K, uint32_t(l.native), 1, 2));
    s.push_back(jump(BPF_JMP | BPF_JGT | BPF_K, uint32_t(l.x32), 0, 1));
  } else if (arch == AUDIT_ARCH_X86_64) {
    // One ABI of the two: the other's calls go to the filter unchecked.
    bool x32 = l.x32 >= 0;
    s.push_back(jump(BPF_JMP | BPF_JSET | BPF_K, kX32Bit, x32 ? 0 : 2, x32 ? 2 : 0));
    s.push_back(jump(BPF_JMP | BPF_JGT | BPF_K, uint32_t(x32 ? l.x32 : l.native), 0, 1));
  } else {
    s.push_back(jump(BPF_JMP | BPF_JGT | BPF_K, uint32_t(l.native), 0, 1));
  }
  s.push_back(enosys);
  s.push_back(to_filter);
  return s;
}

}  // namespace

Result<std::vector<sock_filter>> enosys_stub(const Profile& p, std::vector<std::string>* debug) {
  if (!wanted(p)) return std::vector<sock_filter>{};
  std::map<uint32_t, ArchLimits> arches;
  for (const auto& name : p.architectures) {
    auto token = arch_token(name);
    if (!token) return Error(EOPNOTSUPP, "seccomp: architecture " + name + " is not supported by libseccomp");
    int largest = largest_number(p, *token);
    if (largest < 0) continue;
    if (debug) debug->push_back("seccomp: calls above " + std::to_string(largest) + " get ENOSYS on " + name);
    if (*token == SCMP_ARCH_X32) {
      arches[AUDIT_ARCH_X86_64].x32 = largest;
      continue;
    }
    ArchLimits& l = arches[*token];  // the other SCMP_ARCH_* values are AUDIT_ARCH_* ones
    l.native = largest;
    l.s390 = *token == SCMP_ARCH_S390 || *token == SCMP_ARCH_S390X;
  }
  if (arches.empty()) return std::vector<sock_filter>{};

  // ld arch; one jeq per architecture to its section; ja past the stub; the sections.
  std::vector<std::vector<sock_filter>> sections;
  for (const auto& [arch, limits] : arches) sections.push_back(section(arch, limits));
  std::vector<sock_filter> stub = {stmt(BPF_LD | BPF_W | BPF_ABS, kArchOffset)};
  size_t to_section = arches.size();  // from the first jeq's next instruction: the other jeqs and the ja
  size_t i = 0;
  for (const auto& [arch, limits] : arches) {
    if (to_section > 255) return Error(E2BIG, "seccomp: too many architectures for the ENOSYS stub");
    stub.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, arch, uint8_t(to_section), 0));
    to_section += sections[i++].size() - 1;  // one jeq fewer before it, a section more
  }
  stub.push_back(stmt(BPF_JMP | BPF_JA, 0));
  for (const auto& s : sections) stub.insert(stub.end(), s.begin(), s.end());
  // Every `ja` goes to the first instruction after the stub: libseccomp's program.
  for (size_t j = 0; j < stub.size(); j++)
    if (stub[j].code == (BPF_JMP | BPF_JA)) stub[j].k = uint32_t(stub.size() - j - 1);
  return stub;
}

}  // namespace vigil::seccomp
