#include <iomanip>
#include <iostream>

#include "cmd/command.hpp"

namespace vigil::cmd {

int list(const GlobalOptions& g, const Args& args) {
  po::options_description flags;
  flags.add_options()("format,f", po::value<std::string>()->default_value("table"))("quiet,q", po::bool_switch());
  auto vm = parse(args, flags, {});
  std::string format = vm["format"].as<std::string>();
  if (format != "table" && format != "json") return fail("list: --format must be table or json");
  auto all = list_containers(g.root);
  if (vm["quiet"].as<bool>()) {
    for (const auto& c : all) std::cout << c["id"].get<std::string>() << "\n";
  } else if (format == "json") {
    std::cout << nlohmann::json(all).dump() << "\n";
  } else {
    std::cout << std::left << std::setw(20) << "ID" << std::setw(10) << "PID" << std::setw(10) << "STATUS"
              << std::setw(40) << "BUNDLE" << std::setw(32) << "CREATED" << "OWNER\n";
    for (const auto& c : all)
      std::cout << std::setw(20) << c["id"].get<std::string>() << std::setw(10) << c["pid"].get<int>()
                << std::setw(10) << c["status"].get<std::string>() << std::setw(40) << c["bundle"].get<std::string>()
                << std::setw(32) << c["created"].get<std::string>() << c["owner"].get<std::string>() << "\n";
  }
  return 0;
}

}  // namespace vigil::cmd
