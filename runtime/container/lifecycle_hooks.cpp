#include "runtime/container/lifecycle_hooks.hpp"

#include <cstring>

#include "hooks/run_hook.hpp"
#include "oci/parse.hpp"
#include "runtime/base/log.hpp"

namespace vigil {

void run_post_hooks(const char* kind, const oci::ContainerState& s) {
  auto hooks = oci::parse_hooks(s.hooks);
  if (!hooks) return log_warn(hooks.error().str());
  bool start = std::strcmp(kind, "poststart") == 0;
  const auto& list = start ? hooks->poststart : hooks->poststop;
  if (list.empty()) return;
  std::string state = oci::public_state(s, start ? "running" : "stopped").dump();
  auto st = run_hooks(kind, list, state,
                      [&](std::string_view l) { log_line(LogLevel::info, std::string(kind) + " hook: " + std::string(l)); });
  if (!st) log_warn(st.error().str());
}

}  // namespace vigil
