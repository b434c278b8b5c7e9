#include <iostream>

#include <nlohmann/json.hpp>

#include "cmd/command.hpp"
#include "runtime/base/file.hpp"
#include "runtime/container/container.hpp"
#include "runtime/landlock/landlock.hpp"
#include "runtime/policy/paths_policy.hpp"
#include "runtime/policy/learned.hpp"
#include "runtime/policy/policy.hpp"
#include "runtime/verify/path_digest.hpp"

namespace vigil::cmd {
namespace {

// policy check FILE: every problem of a policy file, with its path.
int check(const Args& args) {
  std::string file = required(parse(args, {}, {"file"}), "file");
  auto text = read_file(file);
  if (!text) return fail(text.error().str());
  auto p = policy::parse_policy(*text, file);
  if (!p) return fail(p.error().what());
  std::cout << file << ": valid\n";
  return 0;
}

// policy show ID: the policy a container runs under.
int show(const GlobalOptions& g, const Args& args) {
  auto p = container_policy(g.root, required(parse(args, {}, {"id"}), "id"));
  if (!p) return fail(p.error().str());
  std::cout << p->doc.dump(2) << "\n";
  return 0;
}

// policy explain FILE|ID: how this host enforces each section of a policy file or of a
// container's policy; for a container, also what refused each refusal in its audit log and
// what would have allowed it.
int explain(const GlobalOptions& g, const Args& args) {
  std::string what = required(parse(args, {}, {"what"}), "what");
  // A container id has neither a "/" nor the ".json" of a file.
  bool file = what.find('/') != std::string::npos || what.ends_with(".json");
  auto p = file ? [&]() -> Result<policy::Policy> { return policy::parse_policy(TRY(read_file(what)), what); }()
                : container_policy(g.root, what);
  if (!p) return fail(p.error().str());
  std::vector<std::string> lines;
  if (p->learn())
    lines.push_back("learn: every refusal below is only a warning; the supervisor records each program and library run, "
                    "each file touched (with path rules), and the peaks of memory committed, for vigil policy suggest");
  for (auto& l : explain_exec(*p)) lines.push_back(std::move(l));
  for (auto& l : explain_memory(*p)) lines.push_back(std::move(l));
  for (auto& l : explain_paths(policy::paths_policy(*p), landlock::abi_version(), p->supervise())) lines.push_back(std::move(l));
  if (!file) {
    auto refusals = explain_refusals(g.root, what);
    if (!refusals) return fail(refusals.error().str());
    lines.push_back(refusals->empty() ? "refusals: none in its audit log" : "refusals, from its audit log:");
    for (auto& l : *refusals) lines.push_back("  " + l);
  }
  for (const auto& line : lines) std::cout << line << "\n";
  return 0;
}

// policy suggest [--margin M] [--checksums] [--root-dir DIR] ID|FILE: a policy that would have
// let a learn-mode run through, from a container's audit log or a log file kept from one.
int suggest(const GlobalOptions& g, const Args& args) {
  po::options_description opts;
  opts.add_options()("margin", po::value<double>()->default_value(1.5))("checksums", po::bool_switch())(
      "root-dir", po::value<std::string>()->default_value(""));
  auto vm = parse(args, opts, {"what"});
  std::string what = required(vm, "what");
  policy::SuggestOptions o;
  o.margin = vm["margin"].as<double>();
  if (!(o.margin >= 1.0 && o.margin <= 100.0)) throw po::error("--margin must be a number from 1 to 100");
  o.checksums = vm["checksums"].as<bool>();
  o.landlock_abi = landlock::abi_version();
  // A container id has neither a "/" nor a file's ".log" or ".json".
  bool file = what.find('/') != std::string::npos || what.ends_with(".log") || what.ends_with(".json");
  std::string rootfs = vm["root-dir"].as<std::string>();
  std::string log;
  if (file) {
    auto text = read_file(what);
    if (!text) return fail(text.error().str());
    log = std::move(*text);
  } else {
    auto in = suggest_input(g.root, what);
    if (!in) return fail(in.error().str());
    log = std::move(in->log);
    if (rootfs.empty()) rootfs = in->rootfs;
  }
  if (!rootfs.empty())
    if (auto st = with_rootfs(o, rootfs); !st) return fail("policy suggest: rootfs " + rootfs + ": " + st.error().str());
  auto seen = policy::read_learned(log);
  if (seen.lines == 0) return fail("policy suggest " + what + ": no learn lines: run the container with \"learn\": true first");
  auto s = policy::suggest_policy(seen, o);
  for (const auto& note : s.notes) std::cerr << "note: " << note << "\n";
  std::cout << s.policy.dump(2) << "\n";
  return 0;
}

// policy hash [--root-dir DIR] [--algo A] PATH...: a line of exec.checksums per PATH. It
// stops at the first PATH it cannot hash, as runc's verbs stop at their first error.
int hash(const Args& args) {
  po::options_description opts;
  opts.add_options()("root-dir", po::value<std::string>()->default_value(""))(
      "algo", po::value<std::string>()->default_value("sha256"));
  auto vm = parse(args, opts, {"paths"}, true);
  if (!vm.count("paths")) throw po::error("missing PATH");
  auto algo = verify::parse_digest_algo(vm["algo"].as<std::string>());
  if (!algo) throw po::error("--algo must be sha256 or sha512");
  for (const auto& path : vm["paths"].as<Args>()) {
    std::string key;
    try {
      key = nlohmann::json(path).dump();
    } catch (const nlohmann::json::type_error&) {
      // Named with the bad bytes replaced: a JSON --log could not hold them either.
      auto shown = nlohmann::json(path).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return fail("policy hash " + shown + ": not UTF-8, so no policy can name it");
    }
    auto hex = verify::path_digest(path, *algo, vm["root-dir"].as<std::string>());
    if (!hex) return fail("policy hash " + path + ": " + hex.error().str());
    std::cout << key << ": \"" << verify::digest_algo_name(*algo) << ":" << *hex << "\",\n";
  }
  return 0;
}

}  // namespace

int policy(const GlobalOptions& g, const Args& args) {
  if (args.empty()) throw po::error("missing subcommand");
  Args rest(args.begin() + 1, args.end());
  if (args[0] == "check") return check(rest);
  if (args[0] == "show") return show(g, rest);
  if (args[0] == "hash") return hash(rest);
  if (args[0] == "explain") return explain(g, rest);
  if (args[0] == "suggest") return suggest(g, rest);
  return fail("policy: unknown subcommand \"" + args[0] + "\" (check FILE, show ID, explain FILE|ID, suggest ID|FILE, hash PATH...)");
}

}  // namespace vigil::cmd
