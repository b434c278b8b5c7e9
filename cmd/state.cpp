#include <iostream>

#include "cmd/command.hpp"

namespace vigil::cmd {

int state(const GlobalOptions& g, const Args& args) {
  auto vm = parse(args, {}, {"id"});
  auto s = container_state(g.root, required(vm, "id"));
  if (!s) return fail(s.error().str());
  std::cout << s->dump(2) << "\n";
  return 0;
}

}  // namespace vigil::cmd
