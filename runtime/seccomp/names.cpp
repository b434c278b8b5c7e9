#include "runtime/seccomp/names.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

namespace vigil::seccomp {

namespace {

constexpr std::pair<Action, std::string_view> kActions[] = {
    {Action::kill, "SCMP_ACT_KILL"},
    {Action::kill_process, "SCMP_ACT_KILL_PROCESS"},
    {Action::kill_thread, "SCMP_ACT_KILL_THREAD"},
    {Action::trap, "SCMP_ACT_TRAP"},
    {Action::errno_ret, "SCMP_ACT_ERRNO"},
    {Action::trace, "SCMP_ACT_TRACE"},
    {Action::allow, "SCMP_ACT_ALLOW"},
    {Action::log, "SCMP_ACT_LOG"},
    {Action::notify, "SCMP_ACT_NOTIFY"},
};

constexpr std::pair<Op, std::string_view> kOps[] = {
    {Op::ne, "SCMP_CMP_NE"}, {Op::lt, "SCMP_CMP_LT"}, {Op::le, "SCMP_CMP_LE"},
    {Op::eq, "SCMP_CMP_EQ"}, {Op::ge, "SCMP_CMP_GE"}, {Op::gt, "SCMP_CMP_GT"},
    {Op::masked_eq, "SCMP_CMP_MASKED_EQ"},
};

constexpr std::pair<Flag, std::string_view> kFlags[] = {
    {Flag::tsync, "SECCOMP_FILTER_FLAG_TSYNC"},
    {Flag::log, "SECCOMP_FILTER_FLAG_LOG"},
    {Flag::spec_allow, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"},
    {Flag::wait_killable_recv, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"},
};

constexpr std::string_view kArchs[] = {
    "SCMP_ARCH_X86",        "SCMP_ARCH_X86_64",    "SCMP_ARCH_X32",         "SCMP_ARCH_ARM",
    "SCMP_ARCH_AARCH64",    "SCMP_ARCH_MIPS",      "SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",
    "SCMP_ARCH_MIPSEL",     "SCMP_ARCH_MIPSEL64",  "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
    "SCMP_ARCH_PPC64",      "SCMP_ARCH_PPC64LE",   "SCMP_ARCH_S390",        "SCMP_ARCH_S390X",
    "SCMP_ARCH_PARISC",     "SCMP_ARCH_PARISC64",  "SCMP_ARCH_RISCV64",     "SCMP_ARCH_LOONGARCH64",
};

template <class E, size_t N>
std::string_view name_in(const std::pair<E, std::string_view> (&table)[N], E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "?";
}

template <class E, size_t N>
std::optional<E> value_in(const std::pair<E, std::string_view> (&table)[N], std::string_view name) {
  for (const auto& [v, n] : table)
    if (n == name) return v;
  return std::nullopt;
}

template <class E, size_t N>
constexpr std::array<E, N> values_of(const std::pair<E, std::string_view> (&table)[N]) {
  std::array<E, N> out{};
  for (size_t i = 0; i < N; i++) out[i] = table[i].first;
  return out;
}

constexpr auto kAllActions = values_of(kActions);
constexpr auto kAllOps = values_of(kOps);
constexpr auto kAllFlags = values_of(kFlags);

}  // namespace

std::string_view name_of(Action a) { return name_in(kActions, a); }
std::string_view name_of(Op op) { return name_in(kOps, op); }
std::string_view name_of(Flag f) { return name_in(kFlags, f); }

std::optional<Action> action_from_name(std::string_view name) { return value_in(kActions, name); }
std::optional<Op> op_from_name(std::string_view name) { return value_in(kOps, name); }
std::optional<Flag> flag_from_name(std::string_view name) { return value_in(kFlags, name); }

std::span<const Action> all_actions() { return kAllActions; }
std::span<const Op> all_ops() { return kAllOps; }
std::span<const Flag> all_flags() { return kAllFlags; }

std::span<const std::string_view> arch_names() { return kArchs; }
bool is_arch_name(std::string_view name) { return std::find(std::begin(kArchs), std::end(kArchs), name) != std::end(kArchs); }

}  // namespace vigil::seccomp
