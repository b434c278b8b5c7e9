#include "cmd/command.hpp"

namespace vigil::cmd {

int pause(const GlobalOptions& g, const Args& args) {
  auto vm = parse(args, {}, {"id"});
  auto st = pause_container(g.root, required(vm, "id"), true);
  return st ? 0 : fail(st.error().str());
}

int resume(const GlobalOptions& g, const Args& args) {
  auto vm = parse(args, {}, {"id"});
  auto st = pause_container(g.root, required(vm, "id"), false);
  return st ? 0 : fail(st.error().str());
}

}  // namespace vigil::cmd
