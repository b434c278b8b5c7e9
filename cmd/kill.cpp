#include "cmd/command.hpp"
#include "runtime/process/signals.hpp"

namespace vigil::cmd {

int kill(const GlobalOptions& g, const Args& args) {
  po::options_description flags;
  flags.add_options()("all,a", po::bool_switch());
  auto vm = parse(args, flags, {"id", "signal"});
  auto sig = parse_signal(vm.count("signal") ? vm["signal"].as<std::string>() : "SIGTERM");
  if (!sig) return fail(sig.error().str());
  auto st = kill_container(g.root, required(vm, "id"), *sig, vm["all"].as<bool>());
  return st ? 0 : fail(st.error().str());
}

}  // namespace vigil::cmd
