// The vocabulary of linux.seccomp: actions, comparison operators, filter flags and
// architectures, each with the name config.json uses (libseccomp's and the kernel's).
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace vigil::seccomp {

enum class Action { kill, kill_process, kill_thread, trap, errno_ret, trace, allow, log, notify };
enum class Op { ne, lt, le, eq, ge, gt, masked_eq };
enum class Flag { tsync, log, spec_allow, wait_killable_recv };

// "SCMP_ACT_ERRNO", "SCMP_CMP_EQ", "SECCOMP_FILTER_FLAG_LOG".
std::string_view name_of(Action a);
std::string_view name_of(Op op);
std::string_view name_of(Flag f);

std::optional<Action> action_from_name(std::string_view name);
std::optional<Op> op_from_name(std::string_view name);
std::optional<Flag> flag_from_name(std::string_view name);

// Only these two carry a value in the kernel's return code: the errno, or the tracer's message.
inline bool takes_errno(Action a) { return a == Action::errno_ret || a == Action::trace; }

// Every value of each enum, in the runtime-spec's order.
std::span<const Action> all_actions();
std::span<const Op> all_ops();
std::span<const Flag> all_flags();

// Every SCMP_ARCH_* name of the runtime-spec, plus the ones runc knows beyond it
// (SCMP_ARCH_LOONGARCH64). Whether the linked libseccomp can build for one is another
// matter: see arch_token() in filter.hpp.
std::span<const std::string_view> arch_names();
bool is_arch_name(std::string_view name);

}  // namespace vigil::seccomp
