#include "runtime/seccomp/features.hpp"

#include <linux/seccomp.h>
#include <seccomp.h>

#include "runtime/seccomp/filter.hpp"
#include "runtime/seccomp/kernel.hpp"
#include "runtime/seccomp/names.hpp"

namespace vigil::seccomp {

namespace {

// The kernel's return value for an action, and the libseccomp API level that emits it
// (seccomp_api_get(): 3 brought LOG and KILL_PROCESS, 5 NOTIFY).
struct KernelAction {
  uint32_t ret;
  unsigned api;
};

KernelAction kernel_action(Action a) {
  switch (a) {
    case Action::kill:
    case Action::kill_thread: return {SECCOMP_RET_KILL_THREAD, 1};
    case Action::kill_process: return {SECCOMP_RET_KILL_PROCESS, 3};
    case Action::trap: return {SECCOMP_RET_TRAP, 1};
    case Action::errno_ret: return {SECCOMP_RET_ERRNO, 1};
    case Action::trace: return {SECCOMP_RET_TRACE, 1};
    case Action::allow: return {SECCOMP_RET_ALLOW, 1};
    case Action::log: return {SECCOMP_RET_LOG, 3};
    case Action::notify: return {SECCOMP_RET_USER_NOTIF, 5};
  }
  return {SECCOMP_RET_KILL_PROCESS, ~0u};  // not reached
}

unsigned int kernel_flags(Flag f) {
  switch (f) {
    case Flag::tsync: return SECCOMP_FILTER_FLAG_TSYNC;
    case Flag::log: return SECCOMP_FILTER_FLAG_LOG;
    case Flag::spec_allow: return SECCOMP_FILTER_FLAG_SPEC_ALLOW;
    // The kernel takes it only beside NEW_LISTENER.
    case Flag::wait_killable_recv: return SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV | SECCOMP_FILTER_FLAG_NEW_LISTENER;
  }
  return ~0u;  // not reached
}

template <class T>
std::vector<std::string> names(std::span<const T> values) {
  std::vector<std::string> out;
  for (T v : values) out.emplace_back(name_of(v));
  return out;
}

}  // namespace

std::vector<std::string> known_actions() { return names(all_actions()); }

std::vector<std::string> supported_actions() {
  unsigned api = seccomp_api_get();
  std::vector<std::string> out;
  for (Action a : all_actions()) {
    KernelAction k = kernel_action(a);
    if (api >= k.api && kernel_has_action(k.ret)) out.emplace_back(name_of(a));
  }
  return out;
}

std::vector<std::string> known_operators() { return names(all_ops()); }

std::vector<std::string> known_archs() { return {arch_names().begin(), arch_names().end()}; }

std::vector<std::string> supported_archs() {
  std::vector<std::string> out;
  for (auto name : arch_names())
    if (arch_token(name)) out.emplace_back(name);
  return out;
}

std::vector<std::string> known_flags() { return names(all_flags()); }

std::vector<std::string> supported_flags() {
  std::vector<std::string> out;
  for (Flag f : all_flags())
    if (kernel_accepts_flags(kernel_flags(f))) out.emplace_back(name_of(f));
  return out;
}

}  // namespace vigil::seccomp
