#include <iostream>

#include "cmd/command.hpp"
#include "cmd/units.hpp"

namespace vigil::cmd {

int events(const GlobalOptions& g, const Args& args) {
  po::options_description flags;
  flags.add_options()("stats", po::bool_switch())("interval", po::value<std::string>()->default_value("5s"));
  auto vm = parse(args, flags, {"id"});
  auto interval = parse_duration_ms(vm["interval"].as<std::string>());
  if (!interval) return fail("events: --interval: " + interval.error().str());
  auto st = container_events(g.root, required(vm, "id"), vm["stats"].as<bool>(), *interval,
                             [](const nlohmann::json& e) { std::cout << e.dump() << std::endl; });
  return st ? 0 : fail(st.error().str());
}

}  // namespace vigil::cmd
