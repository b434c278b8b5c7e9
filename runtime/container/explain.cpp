// vigil policy explain, for the exec and memory sections (the paths section's is with its
// request, landlock_request.cpp), and for the refusals in a container's audit log: what
// refused each, and which change to the policy would have let it through.
#include <sstream>

#include "runtime/base/file.hpp"
#include "runtime/base/json_parse.hpp"
#include "runtime/container/container.hpp"
#include "runtime/container/handle.hpp"
#include "runtime/policy/exec_policy.hpp"
#include "runtime/policy/size.hpp"

namespace vigil {
namespace {

using policy::Action;

std::string action(Action a) { return std::string(policy::action_name(a)); }

// "exec.rules[3]" → 3; -1 for any other name.
int rule_index(const std::string& rule, const std::string& section) {
  std::string prefix = section + ".rules[";
  if (rule.rfind(prefix, 0) != 0 || rule.back() != ']') return -1;
  try {
    return std::stoi(rule.substr(prefix.size()));
  } catch (const std::exception&) {
    return -1;
  }
}

// The change to the policy that lets one refused decision (an audit line) through.
std::string remedy(const nlohmann::json& d) {
  const std::string rule = d.value("rule", ""), subject = d.value("subject", "");
  // Learning, a refusal is a warning whose detail starts by saying so.
  std::string detail = d.value("detail", "");
  if (detail.rfind("learn mode, would ", 0) == 0) detail = detail.find(": ") == std::string::npos ? "" : detail.substr(detail.find(": ") + 2);
  const std::string named = nlohmann::json(subject).dump();
  if (rule == "exec.default" || rule_index(rule, "exec") >= 0)
    return "add {\"path\": " + named + ", \"action\": \"allow\"} to exec.rules" +
           (rule == "exec.default" ? "" : ", after " + rule);
  if (rule == "exec.checksums") return "set exec.checksums[" + named + "] to the digest found (" + detail + ")";
  if (rule == "exec.unlisted") return "list " + named + " in exec.checksums (vigil policy hash), or set exec.unlisted to allow";
  if (rule == "exec.tpe") return "make the directory of " + named + " writable by trusted uids only, or trust its owner in exec.trusted_uids";
  if (rule == "exec.allow_memfd") return "set exec.allow_memfd to true";
  if (rule == "exec.image") return "none: the file the kernel ran was not the one checked (a swap while it was looked up)";
  if (rule.rfind("exec.", 0) == 0) return "set " + rule + " to false";
  if (rule.rfind("memory.", 0) == 0) return "raise " + rule + " (" + detail + ")";
  if (rule == "paths.default" || rule_index(rule, "paths") >= 0) {
    // The detail starts with the access; "of the file … names": refused by its identity.
    std::string access = detail.substr(0, detail.find(','));
    if (detail.find("of the file") != std::string::npos)
      return "the file is " + rule + "'s by identity (a link or a mount of it): change " + rule + " itself";
    return "add {\"path\": " + named + ", \"access\": [\"" + access + "\"], \"action\": \"allow\"} to paths.rules" +
           (rule == "paths.default" ? "" : ", after " + rule);
  }
  return "none known for " + rule;
}

}  // namespace

std::vector<std::string> explain_exec(const policy::Policy& p) {
  const auto e = policy::exec_policy(p);
  if (!e.judges_exec() && !e.checks_libraries() && !e.deny_wx) return {"exec: not enforced, every program runs (free)"};
  if (!p.supervise()) return {"exec: not enforced: the policy does not say \"supervise\": true"};
  std::vector<std::string> out = {
      "exec: the supervisor judges each execve and execveat (a notification, and an exec stop, per exec): the program, "
      "each #! interpreter and the ELF loader"};
  for (size_t i = 0; i < e.rules.size(); i++)
    out.push_back("exec.rules[" + std::to_string(i) + "] " + e.rules[i].path + ": " + action(e.rules[i].action));
  out.push_back("exec.default: " + action(e.default_action));
  std::string elf;
  for (auto [on, name] : {std::pair{e.require_pie, "require_pie"}, {e.deny_execstack, "deny_execstack"}, {e.deny_ldso, "deny_ldso"},
                          {e.deny_elf32, "deny_elf32"}, {e.deny_static, "deny_static"}, {e.deny_dynamic, "deny_dynamic"}})
    if (on) elf += (elf.empty() ? "" : ", ") + std::string("exec.") + name;
  if (!elf.empty()) out.push_back(elf + ": read from each file at its exec (no more notifications)");
  if (!e.checksums.empty())
    out.push_back("exec.checksums: " + std::to_string(e.checksums.size()) + " files by digest, each read once and cached by identity; unlisted: " +
                  action(e.unlisted));
  if (e.tpe) out.push_back("exec.tpe: only programs in directories no untrusted uid may write");
  if (!e.allow_memfd) out.push_back("exec.allow_memfd false: programs with no file (memfd, deleted) are refused");
  if (e.checks_libraries())
    out.push_back("libraries: each mmap and mprotect asking for PROT_EXEC is notified and judged as a program is (a notification per library)");
  else if (e.deny_wx)
    out.push_back("exec.deny_wx: mmap and mprotect asking for write and execute are refused (compared in the filter: notified only then)");
  if (e.allow_debuggers) out.push_back("exec.allow_debuggers: a traced process's exec is checked at its notification, with no exec stop");
  return out;
}

std::vector<std::string> explain_memory(const policy::Policy& p) {
  const auto m = policy::memory_policy(p);
  if (!m.max && !m.vm_max && !m.container_max && !m.container_max_from_cgroup) return {"memory: no limit"};
  if (!p.supervise()) return {"memory: not enforced: the policy does not say \"supervise\": true"};
  const bool deny = m.action == Action::deny;
  const std::string notified =
      "the supervisor, a notification per mmap asking for PROT_WRITE or MAP_SHARED, mprotect to writable, brk, mremap, shmat";
  std::vector<std::string> out;
  if (m.max)
    out.push_back("memory.max " + policy::size_text(m.max) + " per process, " + action(m.action) + ": " +
                  (deny ? "RLIMIT_DATA for private memory (free), and " : "") + notified + " (shared memory counted too)");
  if (m.vm_max)
    out.push_back("memory.vm_max " + policy::size_text(m.vm_max) + " per process, " + action(m.action) + ": " +
                  (deny ? "RLIMIT_AS (free)" : "the supervisor, a notification per mmap, brk, mremap, shmat"));
  if (m.container_max || m.container_max_from_cgroup)
    out.push_back("memory.container_max " + (m.container_max_from_cgroup ? std::string("cgroup (the container's memory limit)") : policy::size_text(m.container_max)) +
                  ", " + action(m.action) + ": " + notified + ", all processes added up");
  return out;
}

Result<std::vector<std::string>> explain_refusals(const std::string& root, const std::string& id) {
  auto c = TRY(Container::open(root, id, false));
  auto text = read_file(c.dir.audit_path());
  std::vector<std::string> out;
  if (!text) return out;  // no supervisor, or nothing decided yet
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    auto d = parse_json(line, "audit.log");
    // What learn mode saw is no decision.
    if (!d || !d->is_object() || d->value("action", "") == "allow" || d->value("action", "") == "learn") continue;
    out.push_back(nlohmann::json(d->value("time", "")).dump() + " pid " + std::to_string(d->value("pid", 0)) + " " +
                  d->value("syscall", "") + " " + nlohmann::json(d->value("subject", "")).dump() + ": " + d->value("action", "") +
                  " by " + d->value("rule", "") + "; to allow it: " + remedy(*d));
  }
  return out;
}

}  // namespace vigil
