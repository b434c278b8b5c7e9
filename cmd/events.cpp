#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "cmd/command.hpp"
#include "cmd/units.hpp"
#include "runtime/base/clock.hpp"

namespace vigil::cmd {

int events(const GlobalOptions& g, const Args& args) {
  po::options_description flags;
  flags.add_options()("stats", po::bool_switch())("interval", po::value<std::string>()->default_value("5s"))(
      "format", po::value<std::string>())("action", po::value<std::vector<std::string>>()->composing());
  auto vm = parse(args, flags, {"id"});
  auto interval = parse_duration_ms(vm["interval"].as<std::string>());
  if (!interval) return fail("events: --interval: " + interval.error().str());
  // For a person on a terminal, lines; for a program (containerd's shim reads runc's), JSON.
  std::string format = vm.count("format") ? vm["format"].as<std::string>() : ::isatty(STDOUT_FILENO) ? "text" : "json";
  if (format != "text" && format != "json") return fail("events: --format: " + format + " is neither text nor json");
  // With actions named, only the supervisor's decisions of those, and the end.
  std::vector<std::string> actions = vm.count("action") ? vm["action"].as<std::vector<std::string>>() : std::vector<std::string>{};
  for (const auto& a : actions)
    if (a != "allow" && a != "warn" && a != "deny" && a != "kill" && a != "learn")
      return fail("events: --action: " + a + " is none of allow, warn, deny, kill, learn");
  auto wanted = [&](const nlohmann::json& e) {
    if (actions.empty() || e.value("type", "") == "exit") return true;
    if (e.value("type", "") != "audit") return false;
    auto action = e.value("data", nlohmann::json::object()).value("action", "");
    return std::find(actions.begin(), actions.end(), action) != actions.end();
  };
  auto st = container_events(g.root, required(vm, "id"), vm["stats"].as<bool>(), *interval, [&](const nlohmann::json& e) {
    if (!wanted(e)) return;
    std::cout << (format == "json" ? e.dump() : event_text(e, rfc3339_now())) << std::endl;
  });
  return st ? 0 : fail(st.error().str());
}

}  // namespace vigil::cmd
