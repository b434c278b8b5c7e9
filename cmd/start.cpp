#include "cmd/command.hpp"

namespace vigil::cmd {

int start(const GlobalOptions& g, const Args& args) {
  auto vm = parse(args, {}, {"id"});
  auto st = start_container(g.root, required(vm, "id"));
  return st ? 0 : fail(st.error().str());
}

}  // namespace vigil::cmd
