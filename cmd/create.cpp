#include "cmd/command.hpp"

namespace vigil::cmd {

po::options_description create_flags() {
  po::options_description d;
  d.add_options()("bundle,b", po::value<std::string>()->default_value(""))(
      "pid-file", po::value<std::string>()->default_value(""))(
      "console-socket", po::value<std::string>()->default_value(""))("no-pivot", po::bool_switch())(
      "no-new-keyring", po::bool_switch())("preserve-fds", po::value<int>()->default_value(0));
  return d;
}

CreateOptions create_options(const GlobalOptions& g, const po::variables_map& vm) {
  CreateOptions o;
  o.root = g.root;
  o.systemd_cgroup = g.systemd_cgroup;
  o.policy = g.policy;
  o.id = required(vm, "id");
  o.bundle = vm["bundle"].as<std::string>();
  o.pid_file = vm["pid-file"].as<std::string>();
  o.console_socket = vm["console-socket"].as<std::string>();
  o.no_pivot = vm["no-pivot"].as<bool>();
  o.no_new_keyring = vm["no-new-keyring"].as<bool>();
  o.preserve_fds = vm["preserve-fds"].as<int>();
  if (o.preserve_fds < 0) throw po::error("--preserve-fds must not be negative");
  return o;
}

int create(const GlobalOptions& g, const Args& args) {
  auto vm = parse(args, create_flags(), {"id"});
  auto r = create_container(create_options(g, vm));
  return r ? 0 : fail(r.error().str());
}

}  // namespace vigil::cmd
