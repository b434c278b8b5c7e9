// vigil's entry point: global flags, the verb table, and the hidden `init` of a container.
#include <seccomp.h>

#include <cstring>
#include <iostream>

#include "cmd/command.hpp"
#include "oci/state.hpp"
#include "runtime/base/log.hpp"
#include "runtime/init/init_main.hpp"

namespace vigil::cmd {
namespace {

const Verb kVerbs[] = {
    {"create", "create [--bundle DIR] [--pid-file F] [--console-socket S] [--no-pivot] [--no-new-keyring] "
               "[--preserve-fds N] ID", create},
    {"start", "start ID", start},
    {"run", "run [--detach] [create flags] ID", run},
    {"state", "state ID", state},
    {"kill", "kill [--all] ID [SIGNAL]", kill},
    {"delete", "delete [--force] ID", delete_},
    {"list", "list [--format table|json] [-q]", list},
    {"spec", "spec [--bundle DIR] [--rootless]", spec},
    {"exec", "exec [--process FILE] [--detach] [--tty] [--console-socket S] [--pid-file F] [--cwd D] [--env K=V]... "
             "[--user UID[:GID]] [--additional-gids G]... [--cap CAP]... [--no-new-privs] [--preserve-fds N] "
             "[--cgroup [CONTROLLER,...:]SUB]... [--apparmor P] [--process-label L] ID [ARGS...]", exec},
    {"ps", "ps [--format table|json] ID", ps},
    {"pause", "pause ID", pause},
    {"resume", "resume ID", resume},
    {"update", "update [--resources FILE|-] [--memory N] [--cpu-quota N] [--cpu-period N] [--cpu-shares N] "
               "[--cpuset-cpus L] [--pids-limit N] [--blkio-weight N] … ID", update},
    {"events", "events [--stats] [--interval 5s] [--format text|json] [--action ACTION]... ID", events},
    {"features", "features", features},
    {"policy", "policy check FILE | policy show ID | policy explain FILE|ID | policy suggest [--margin M] [--checksums] [--root-dir DIR] ID|FILE | policy hash [--root-dir DIR] [--algo sha256|sha512] PATH...",
     policy},
};

// Global flags that take a value, so "--root X verb" splits at the right place.
bool takes_value(const std::string& flag) {
  return flag == "--root" || flag == "--log" || flag == "--log-format" || flag == "--rootless" || flag == "--criu" ||
         flag == "--policy" || flag == "--policy-dir";
}

void print_version() {
  const scmp_version* v = seccomp_version();
  std::cout << "vigil version " << VIGIL_VERSION << "\nspec: " << oci::kSpecVersion << "\nlibseccomp: " << v->major
            << "." << v->minor << "." << v->micro << "\n";
}

void print_usage() {
  std::cout << "usage: vigil [--root DIR] [--log FILE] [--log-format text|json] [--debug] [--systemd-cgroup]\n"
               "             [--rootless true|false|auto] [--policy FILE] [--policy-dir DIR] COMMAND [ARGS]\n\n"
               "commands:\n";
  for (const auto& v : kVerbs) std::cout << "  " << v.usage << "\n";
}

int dispatch(int argc, char** argv) {
  Args global, rest;
  int i = 1;
  for (; i < argc; i++) {
    std::string a = argv[i];
    if (a.empty() || a[0] != '-') break;
    global.push_back(a);
    if (takes_value(a) && i + 1 < argc) global.push_back(argv[++i]);
  }
  GlobalOptions g;
  po::options_description opts;
  opts.add_options()("root", po::value(&g.root))("log", po::value(&g.log))("log-format", po::value(&g.log_format))(
      "debug", po::bool_switch(&g.debug))("systemd-cgroup", po::bool_switch(&g.systemd_cgroup))(
      "rootless", po::value(&g.rootless))("criu", po::value<std::string>())("policy", po::value<std::string>())(
      "policy-dir", po::value(&g.policy.profile_dir))("version,v", "")("help,h", "");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(global).options(opts).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return fail(e.what());
  }
  if (vm.count("policy")) {
    g.policy.baseline = vm["policy"].as<std::string>();
    g.policy.baseline_given = true;
  }
  if (g.log_format != "text" && g.log_format != "json") return fail("--log-format must be text or json");
  if (g.rootless != "true" && g.rootless != "false" && g.rootless != "auto")
    return fail("--rootless must be true, false or auto");
  log_configure({.file = g.log, .fd = -1, .json = g.log_format == "json", .debug = g.debug});
  if (vm.count("version")) return print_version(), 0;
  if (i >= argc || vm.count("help")) return print_usage(), i >= argc && !vm.count("help") ? 1 : 0;
  std::string verb = argv[i];
  rest.assign(argv + i + 1, argv + argc);
  for (const auto& v : kVerbs) {
    if (verb != v.name) continue;
    // Verbs of issues still open: present, so that clients get a clear answer.
    if (!v.run) return fail(verb + " is not implemented yet in vigil " VIGIL_VERSION);
    try {
      return v.run(g, rest);
    } catch (const po::error& e) {
      return fail(verb + ": " + e.what() + " (usage: vigil " + v.usage + ")");
    }
  }
  return fail("unknown command \"" + verb + "\"; see vigil --help");
}

}  // namespace
}  // namespace vigil::cmd

int main(int argc, char** argv) {
  // The container's init: argv is exactly {"vigil", "init", SOCK}, from spawn.cpp.
  if (argc == 3 && std::strcmp(argv[1], "init") == 0) vigil::init_main(std::atoi(argv[2]));
  return vigil::cmd::dispatch(argc, argv);
}
