#include "cmd/command.hpp"

namespace vigil::cmd {

int run(const GlobalOptions& g, const Args& args) {
  auto flags = create_flags();
  flags.add_options()("detach,d", po::bool_switch());
  auto vm = parse(args, flags, {"id"});
  auto code = run_container(create_options(g, vm), vm["detach"].as<bool>());
  return code ? *code : fail(code.error().str());
}

}  // namespace vigil::cmd
