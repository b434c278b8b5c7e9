#include "runtime/cgroup/device_filter.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

namespace vigil::cgroup {
namespace {

// The registers the program keeps the request in.
constexpr uint8_t kType = 2, kAccess = 3, kMajor = 4, kMinor = 5, kScratch = 6;

bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn i{};
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}
bpf_insn load_u32(uint8_t dst, int16_t offset) { return insn(BPF_LDX | BPF_MEM | BPF_W, dst, 1, offset, 0); }
bpf_insn mov_reg(uint8_t dst, uint8_t src) { return insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0); }
bpf_insn mov_imm(uint8_t dst, int32_t imm) { return insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm); }
bpf_insn and_imm(uint8_t dst, int32_t imm) { return insn(BPF_ALU64 | BPF_AND | BPF_K, dst, 0, 0, imm); }
bpf_insn rsh_imm(uint8_t dst, int32_t imm) { return insn(BPF_ALU64 | BPF_RSH | BPF_K, dst, 0, 0, imm); }
// Jumps `skip` instructions ahead when the condition holds.
bpf_insn jump_if(uint8_t op, uint8_t dst, int32_t imm, int16_t skip) { return insn(BPF_JMP | op | BPF_K, dst, 0, skip, imm); }
bpf_insn exit_insn() { return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0); }

int32_t access_bits(const std::string& access) {
  int32_t bits = 0;
  for (char c : access) bits |= c == 'm' ? BPF_DEVCG_ACC_MKNOD : c == 'r' ? BPF_DEVCG_ACC_READ : BPF_DEVCG_ACC_WRITE;
  return bits;
}

// One rule: checks that jump to the next rule on a mismatch, then "return allow".
std::vector<bpf_insn> rule_block(const DeviceRule& r) {
  std::vector<bpf_insn> checks;
  if (r.type != 'a') checks.push_back(jump_if(BPF_JNE, kType, r.type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR, 0));
  int32_t acc = access_bits(r.access);
  checks.push_back(mov_reg(kScratch, kAccess));
  // allow: nothing asked beyond what it grants; deny: something asked that it denies.
  checks.push_back(and_imm(kScratch, r.allow ? ~acc & 7 : acc));
  checks.push_back(jump_if(r.allow ? BPF_JNE : BPF_JEQ, kScratch, 0, 0));
  if (r.major && *r.major >= 0) checks.push_back(jump_if(BPF_JNE, kMajor, int32_t(*r.major), 0));
  if (r.minor && *r.minor >= 0) checks.push_back(jump_if(BPF_JNE, kMinor, int32_t(*r.minor), 0));
  checks.push_back(mov_imm(0, r.allow ? 1 : 0));
  checks.push_back(exit_insn());
  // Every conditional jump lands just past this block.
  int n = int(checks.size());
  for (int i = 0; i < n; i++)
    if (BPF_CLASS(checks[i].code) == BPF_JMP && BPF_OP(checks[i].code) != BPF_EXIT) checks[i].off = int16_t(n - i - 1);
  return checks;
}

}  // namespace

std::vector<bpf_insn> compile_device_filter(const std::vector<DeviceRule>& rules) {
  // bpf_cgroup_dev_ctx: access_type = access << 16 | type, then major, then minor.
  std::vector<bpf_insn> prog = {
      load_u32(kType, offsetof(bpf_cgroup_dev_ctx, access_type)),
      mov_reg(kAccess, kType),
      and_imm(kType, 0xffff),
      rsh_imm(kAccess, 16),
      load_u32(kMajor, offsetof(bpf_cgroup_dev_ctx, major)),
      load_u32(kMinor, offsetof(bpf_cgroup_dev_ctx, minor)),
  };
  for (auto it = rules.rbegin(); it != rules.rend(); ++it) {
    auto block = rule_block(*it);
    prog.insert(prog.end(), block.begin(), block.end());
  }
  prog.push_back(mov_imm(0, 1));
  prog.push_back(exit_insn());
  return prog;
}

Result<unique_fd> load_device_filter(const std::vector<bpf_insn>& program) {
  static const char license[] = "Apache-2.0";
  char log[4096] = {};
  auto load = [&](bool with_log) {
    bpf_attr attr{};
    attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    attr.insns = uint64_t(uintptr_t(program.data()));
    attr.insn_cnt = uint32_t(program.size());
    attr.license = uint64_t(uintptr_t(license));
    if (with_log) {
      attr.log_buf = uint64_t(uintptr_t(log));
      attr.log_size = sizeof log;
      attr.log_level = 1;
    }
    return int(::syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof attr));
  };
  // Without a log first: before Linux 6.4 a verifier log that outgrows its buffer fails the
  // load (ENOSPC) even when the program is sound. The log is only to say why one is refused.
  int fd = load(false);
  if (fd >= 0) return unique_fd(fd);
  int err = errno;
  if ((fd = load(true)) >= 0) return unique_fd(fd);
  if (!log[0]) return Error(err, "load the device filter");
  std::string why = log;
  if (why.size() > 300) why = why.substr(why.size() - 300);
  return Error(err, "load the device filter: " + why);
}

Status attach_device_filter(int cgroup_dir_fd, int program_fd) {
  bpf_attr attr{};
  attr.target_fd = uint32_t(cgroup_dir_fd);
  attr.attach_bpf_fd = uint32_t(program_fd);
  attr.attach_type = BPF_CGROUP_DEVICE;
  attr.attach_flags = BPF_F_ALLOW_MULTI;
  if (::syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof attr) < 0) return Error::from_errno("attach the device filter");
  return {};
}

}  // namespace vigil::cgroup
