#include "cmd/command.hpp"

namespace vigil::cmd {
namespace {

uint32_t to_id(const std::string& s, const char* what) {
  try {
    size_t n;
    unsigned long v = std::stoul(s, &n);
    if (n == s.size() && v <= UINT32_MAX) return uint32_t(v);
  } catch (...) {
  }
  throw po::error(std::string("invalid ") + what + " \"" + s + "\": numeric ids only");
}

// Whether the flag `arg` ("--cwd", "-e") is one that takes a value.
bool takes_value(const po::options_description& flags, const std::string& arg) {
  std::string name = arg.substr(arg.find_first_not_of('-'));
  const po::option_description* d = flags.find_nothrow(name, false, false, false);
  if (!d && name.size() == 1)
    for (const auto& opt : flags.options())
      if (opt->canonical_display_name(po::command_line_style::allow_dash_for_short) == "-" + name) d = opt.get();
  return d && d->semantic()->max_tokens() > 0;
}

}  // namespace

int exec(const GlobalOptions& g, const Args& args) {
  po::options_description flags;
  flags.add_options()("process,p", po::value<std::string>()->default_value(""))("tty,t", po::bool_switch())(
      "console-socket", po::value<std::string>()->default_value(""))("detach,d", po::bool_switch())(
      "pid-file", po::value<std::string>()->default_value(""))("cwd", po::value<std::string>()->default_value(""))(
      "env,e", po::value<Args>()->composing())("user,u", po::value<std::string>())(
      "additional-gids,g", po::value<Args>()->composing())("cap,c", po::value<Args>()->composing())(
      "no-new-privs", po::bool_switch())("apparmor", po::value<std::string>()->default_value(""))(
      "process-label", po::value<std::string>()->default_value(""))(
      "preserve-fds", po::value<int>()->default_value(0))("cgroup", po::value<Args>()->composing());
  // vigil's flags come before the id; everything after it is the command, flags and all.
  size_t i = 0;
  while (i < args.size() && args[i].size() > 1 && args[i][0] == '-' && args[i] != "--") {
    const std::string& a = args[i++];
    bool inline_value = a.find('=') != std::string::npos;
    if (!inline_value && takes_value(flags, a) && i < args.size()) i++;
  }
  if (i < args.size() && args[i] == "--") i++;
  Args own(args.begin(), args.begin() + long(i));
  if (i < args.size()) own.push_back(args[i++]);
  auto vm = parse(own, flags, {"id"});
  Args command(args.begin() + long(i), args.end());

  ExecOptions o;
  o.root = g.root;
  o.id = required(vm, "id");
  o.process_file = vm["process"].as<std::string>();
  o.args = command;
  o.cwd = vm["cwd"].as<std::string>();
  if (vm.count("env")) o.env = vm["env"].as<Args>();
  if (vm.count("user")) {
    std::string u = vm["user"].as<std::string>();
    auto colon = u.find(':');
    o.uid = to_id(u.substr(0, colon), "user");
    if (colon != std::string::npos) o.gid = to_id(u.substr(colon + 1), "group");
  }
  if (vm.count("additional-gids"))
    for (const auto& gid : vm["additional-gids"].as<Args>()) o.additional_gids.push_back(to_id(gid, "group"));
  if (vm.count("cap")) o.caps = vm["cap"].as<Args>();
  o.no_new_privs = vm["no-new-privs"].as<bool>();
  o.detach = vm["detach"].as<bool>();
  o.tty = vm["tty"].as<bool>();
  o.apparmor = vm["apparmor"].as<std::string>();
  o.process_label = vm["process-label"].as<std::string>();
  if (vm.count("cgroup")) o.cgroups = vm["cgroup"].as<Args>();
  o.console_socket = vm["console-socket"].as<std::string>();
  o.pid_file = vm["pid-file"].as<std::string>();
  o.preserve_fds = vm["preserve-fds"].as<int>();
  auto code = exec_container(o);
  return code ? *code : fail(code.error().str());
}

}  // namespace vigil::cmd
