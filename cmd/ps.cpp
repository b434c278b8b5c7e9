#include <iomanip>
#include <iostream>

#include "cmd/command.hpp"
#include "runtime/base/file.hpp"

namespace vigil::cmd {
namespace {

// The command line of a process, as ps shows it ("" once it is gone).
std::string cmdline(pid_t pid) {
  auto text = read_file("/proc/" + std::to_string(pid) + "/cmdline");
  if (!text) return "";
  std::string s = *text;
  while (!s.empty() && s.back() == '\0') s.pop_back();
  for (auto& c : s)
    if (c == '\0') c = ' ';
  return s;
}

}  // namespace

int ps(const GlobalOptions& g, const Args& args) {
  po::options_description flags;
  flags.add_options()("format,f", po::value<std::string>()->default_value("table"));
  auto vm = parse(args, flags, {"id"});
  std::string format = vm["format"].as<std::string>();
  if (format != "table" && format != "json") return fail("ps: --format must be table or json");
  auto pids = container_pids(g.root, required(vm, "id"));
  if (!pids) return fail(pids.error().str());
  if (format == "json") {
    std::cout << nlohmann::json(*pids).dump() << "\n";
    return 0;
  }
  std::cout << std::left << std::setw(10) << "PID" << "CMD\n";
  for (pid_t p : *pids) std::cout << std::setw(10) << p << cmdline(p) << "\n";
  return 0;
}

}  // namespace vigil::cmd
