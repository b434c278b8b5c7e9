#include <iostream>

#include "cmd/command.hpp"
#include "runtime/container/features.hpp"

namespace vigil::cmd {

int features(const GlobalOptions&, const Args& args) {
  parse(args, {}, {});
  std::cout << runtime_features().dump(2) << "\n";
  return 0;
}

}  // namespace vigil::cmd
