#include "cmd/command.hpp"

namespace vigil::cmd {

int delete_(const GlobalOptions& g, const Args& args) {
  po::options_description flags;
  flags.add_options()("force,f", po::bool_switch());
  auto vm = parse(args, flags, {"id"});
  auto st = delete_container(g.root, required(vm, "id"), vm["force"].as<bool>());
  return st ? 0 : fail(st.error().str());
}

}  // namespace vigil::cmd
