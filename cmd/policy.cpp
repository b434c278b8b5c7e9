#include <iostream>

#include "cmd/command.hpp"
#include "runtime/base/file.hpp"
#include "runtime/policy/policy.hpp"

namespace vigil::cmd {

// policy check FILE: every problem of a policy file, with its path. policy show ID: the
// policy a container runs under.
int policy(const GlobalOptions& g, const Args& args) {
  auto vm = parse(args, {}, {"what", "arg"});
  std::string what = required(vm, "what"), arg = required(vm, "arg");
  if (what == "check") {
    auto text = read_file(arg);
    if (!text) return fail(text.error().str());
    auto p = policy::parse_policy(*text, arg);
    if (!p) return fail(p.error().what());
    std::cout << arg << ": valid\n";
    return 0;
  }
  if (what == "show") {
    auto p = container_policy(g.root, arg);
    if (!p) return fail(p.error().str());
    std::cout << p->doc.dump(2) << "\n";
    return 0;
  }
  return fail("policy: unknown subcommand \"" + what + "\" (check FILE, show ID)");
}

}  // namespace vigil::cmd
