#include "runtime/policy/suggest.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "runtime/base/file.hpp"
#include "runtime/policy/size.hpp"

namespace vigil::policy {
namespace {

using nlohmann::json;

// A path's components as patterns: literal ones escaped, generated ones "*".
using Pattern = std::vector<std::string>;

constexpr size_t kGlobFiles = 3;       // files run from one directory that make it one glob
constexpr size_t kTreeDirectories = 3;  // directories with rules below one that make it a tree
constexpr size_t kTreeDepth = 2;        // no tree above /usr/lib, /var/lib: never /usr/** or /**

Pattern pattern_of(const std::vector<std::string>& comps) {
  Pattern p;
  for (const auto& c : comps) p.push_back(generated_name(c) ? "*" : glob_literal(c));
  return p;
}

std::string joined(const Pattern& p, size_t n) {
  std::string s;
  for (size_t i = 0; i < n && i < p.size(); i++) s += "/" + p[i];
  return s.empty() ? "/" : s;
}
std::string joined(const Pattern& p) { return joined(p, p.size()); }
std::string tree(const Pattern& p, size_t n) { return n == 0 ? "/**" : joined(p, n) + "/**"; }

bool prefix_of(const Pattern& a, const Pattern& b) {
  return a.size() <= b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// ---- exec ------------------------------------------------------------------------------

struct Directory {
  std::string literal;  // its path, when no component of it is generated
  std::set<std::string> names;
};

json exec_rules(const Observations& seen, const SuggestOptions& o) {
  std::map<Pattern, Directory> dirs;
  for (const auto& f : seen.files) {
    auto comps = path_components(f.path);
    if (comps.empty()) continue;
    Pattern p = pattern_of(comps);
    std::string name = p.back();
    p.pop_back();
    auto& d = dirs[p];
    comps.pop_back();
    if (std::find(p.begin(), p.end(), "*") == p.end()) {
      d.literal.clear();
      for (const auto& c : comps) d.literal += "/" + c;
      if (d.literal.empty()) d.literal = "/";
    }
    d.names.insert(name);
  }
  // Trees: the shallowest directory (at depth 2 or more) with rules in three directories of
  // its subtree, itself included.
  std::map<Pattern, size_t> below;
  for (const auto& [p, d] : dirs)
    for (size_t n = kTreeDepth; n <= p.size(); n++) below[Pattern(p.begin(), p.begin() + long(n))]++;
  std::vector<Pattern> trees;
  std::vector<std::pair<size_t, Pattern>> candidates;
  for (const auto& [a, count] : below)
    if (count >= kTreeDirectories) candidates.emplace_back(a.size(), a);
  std::sort(candidates.begin(), candidates.end());
  auto in_tree = [&](const Pattern& p) {
    return std::any_of(trees.begin(), trees.end(), [&](const Pattern& t) { return prefix_of(t, p); });
  };
  for (const auto& c : candidates)
    if (!in_tree(c.second)) trees.push_back(c.second);

  std::set<std::string> globs;
  for (const auto& t : trees) globs.insert(tree(t, t.size()));
  for (const auto& [p, d] : dirs) {
    if (in_tree(p)) continue;
    size_t n = d.names.size();
    auto total = !d.literal.empty() && o.programs_in ? o.programs_in(d.literal) : std::nullopt;
    bool whole = n >= kGlobFiles || d.names.count("*") || (total && n >= 2 && 2 * n >= *total);
    if (whole) {
      globs.insert(joined(p) == "/" ? "/*" : joined(p) + "/*");
      continue;
    }
    for (const auto& name : d.names) globs.insert(joined(p) == "/" ? "/" + name : joined(p) + "/" + name);
  }
  json rules = json::array();
  for (const auto& g : globs) rules.push_back({{"path", g}, {"action", "allow"}});
  return rules;
}

void elf_switches(const Observations& seen, json& exec) {
  bool any_program = false, all_pie = true, any32 = false, any_static = false, any_dynamic = false, any_ldso = false;
  bool any_execstack = false, any_wx = seen.wx_map;
  for (const auto& f : seen.files) {
    if (!f.elf) continue;
    any32 |= f.elf32, any_execstack |= f.execstack, any_wx |= f.wx;
    if (!f.program) continue;
    any_program = true;
    all_pie &= f.pie, any_static |= f.is_static, any_dynamic |= !f.is_static, any_ldso |= f.ldso;
  }
  if (any_program) {
    exec["require_pie"] = all_pie;
    exec["deny_static"] = !any_static;
    exec["deny_dynamic"] = !any_dynamic;
    exec["deny_ldso"] = !any_ldso;
  }
  exec["deny_elf32"] = !any32;
  exec["deny_execstack"] = !any_execstack;
  exec["deny_wx"] = !any_wx;
  exec["allow_memfd"] = seen.fileless;
  if (seen.debugged) exec["allow_debuggers"] = true;
}

// Trusted path execution, when every file ran from a directory its group and others cannot
// write: trusting the owners seen.
void trusted_paths(const Observations& seen, json& exec) {
  std::set<uint32_t> owners;
  for (const auto& f : seen.files) {
    if (!f.dir_uid || !f.dir_mode || (*f.dir_mode & 022)) return;
    owners.insert(*f.dir_uid);
  }
  if (owners.empty()) return;
  exec["tpe"] = {{"enabled", true}, {"trusted_uids", json(std::vector<uint32_t>(owners.begin(), owners.end()))}};
}

void checksums(const Observations& seen, json& exec, std::vector<std::string>& notes) {
  std::map<std::string, std::string> sums;
  std::set<std::string> changed;
  for (const auto& f : seen.files) {
    if (f.digest.empty()) continue;
    auto [it, added] = sums.emplace(f.path, f.digest);
    if (!added && it->second != f.digest) changed.insert(f.path);
  }
  for (const auto& path : changed) {
    sums.erase(path);
    notes.push_back("exec.checksums: " + json(path).dump() + " changed during the run; it has no checksum, so it is refused");
  }
  exec["checksums"] = sums;
  exec["unlisted"] = "deny";
}

// ---- memory ----------------------------------------------------------------------------

// A limit below this would measure noise: a process's first pages, its stack's growth, are
// not all seen.
constexpr uint64_t kLeastLimit = 16 << 20;

std::string limit(uint64_t peak, double margin) {
  constexpr uint64_t mib = 1 << 20;
  double want = std::max(std::ceil(double(peak) * margin), double(kLeastLimit));
  uint64_t bytes = want >= 9.0e18 ? uint64_t(9.0e18) : uint64_t(want);
  return size_text((bytes + mib - 1) / mib * mib);
}

// ---- paths -----------------------------------------------------------------------------

// Landlock grants a file right on one file; the rest only on trees.
constexpr AccessSet kFileAccesses =
    bit(Access::read) | bit(Access::write) | bit(Access::truncate) | bit(Access::exec) | bit(Access::ioctl);

json path_rules(const Observations& seen, const SuggestOptions& o, std::vector<std::string>& notes) {
  struct Target {
    bool is_tree;
    Pattern p;
    auto operator<=>(const Target&) const = default;
  };
  std::map<Target, AccessSet> targets;
  // ioctl is never seen (Landlock alone holds it): device files keep it. A kernel whose
  // Landlock cannot refuse it runs no policy that does: there it is allowed everywhere.
  if (o.landlock_abi >= landlock::kIoctlDevAbi) {
    targets[Target{true, {"dev"}}] = bit(Access::ioctl);
  } else {
    targets[Target{true, {}}] = bit(Access::ioctl);
    notes.push_back("paths: ioctl is allowed everywhere: this kernel's Landlock (ABI " + std::to_string(o.landlock_abi) +
                    ") cannot refuse it, which needs ABI " + std::to_string(landlock::kIoctlDevAbi) +
                    " (Linux 6.10); where it can, allow it in /dev/** only");
  }
  for (auto [path, accesses] : seen.paths) {
    // Landlock's exec needs read too: the kernel opens the program to read it.
    if (accesses & bit(Access::exec)) accesses |= bit(Access::read);
    auto comps = path_components(path);
    Pattern p = pattern_of(comps);
    // Up to its first generated component: a tree there.
    size_t literal = size_t(std::find(p.begin(), p.end(), "*") - p.begin());
    bool pseudo = !comps.empty() && (comps[0] == "proc" || comps[0] == "sys" || comps[0] == "dev");
    // A rule for a file names it at create: one the run made does not exist then.
    auto made_in_run = [&](const std::string& at) {
      auto it = seen.paths.find(at);
      auto there = o.exists ? o.exists(at) : std::nullopt;
      return (it != seen.paths.end() && (it->second & bit(Access::create))) || (there && !*there);
    };
    bool made = made_in_run(path);
    for (size_t i = 0; i < kAccessCount; i++) {
      AccessSet a = bit(Access(i));
      if (!(accesses & a)) continue;
      size_t n;  // the tree's depth
      if (pseudo) n = 1;
      else if (p.empty()) n = 0;  // "/" itself
      else if (literal < p.size()) n = literal;
      else if (Access(i) == Access::list) n = std::min(p.size(), kTreeDepth);
      else if (p.size() > kTreeDepth) n = kTreeDepth;
      else if ((a & kFileAccesses) && !made) {
        targets[Target{false, p}] |= a;
        continue;
      } else n = p.size() - 1;  // the directory it is made in, or removed from
      // A tree holds the directory it finds at create: not one the run made.
      while (n > 0) {
        std::string at;
        for (size_t k = 0; k < n; k++) at += "/" + comps[k];
        if (!made_in_run(at)) break;
        n--;
      }
      targets[Target{true, Pattern(p.begin(), p.begin() + long(n))}] |= a;
    }
  }
  // Three files of one directory with an access: the directory's tree for it.
  std::map<Pattern, std::map<Access, size_t>> files_in;
  for (const auto& [t, a] : targets)
    if (!t.is_tree && !t.p.empty())
      for (size_t i = 0; i < kAccessCount; i++)
        if (a & bit(Access(i))) files_in[Pattern(t.p.begin(), t.p.end() - 1)][Access(i)]++;
  for (const auto& [dir, counts] : files_in)
    for (const auto& [access, n] : counts)
      if (n >= kGlobFiles) targets[Target{true, dir}] |= bit(access);
  // What a tree with the same access covers goes.
  auto covered = [&](const Target& t, AccessSet a) {
    for (const auto& [other, b] : targets)
      if (other.is_tree && (b & a) && prefix_of(other.p, t.p) && (!t.is_tree || other.p.size() < t.p.size())) return true;
    return false;
  };
  std::map<std::string, AccessSet> rules;
  for (const auto& [t, a] : targets) {
    AccessSet keep = 0;
    for (size_t i = 0; i < kAccessCount; i++)
      if ((a & bit(Access(i))) && !covered(t, bit(Access(i)))) keep |= bit(Access(i));
    if (keep) rules[t.is_tree ? tree(t.p, t.p.size()) : joined(t.p)] |= keep;
  }
  json out = json::array();
  for (const auto& [path, a] : rules) {
    json names = json::array();
    for (size_t i = 0; i < kAccessCount; i++)
      if (a & bit(Access(i))) names.push_back(access_name(Access(i)));
    out.push_back({{"path", path}, {"access", names}, {"action", "allow"}});
  }
  return out;
}

}  // namespace

std::string glob_literal(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '*' || c == '?' || c == '[' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

bool generated_name(std::string_view c) {
  if (!c.empty() && std::all_of(c.begin(), c.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) return true;
  size_t dot = c.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string_view run = c.substr(dot + 1);
  bool upper = false, other = false;
  for (char ch : run) {
    if (ch >= 'A' && ch <= 'Z') upper = true;
    else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) other = true;
    else return false;
  }
  return run.size() >= 6 && upper && other;
}

Suggestion suggest_policy(const Observations& seen, const SuggestOptions& o) {
  Suggestion s;
  json exec = {{"default", "deny"}, {"rules", exec_rules(seen, o)}};
  elf_switches(seen, exec);
  trusted_paths(seen, exec);
  if (o.checksums) checksums(seen, exec, s.notes);
  s.policy = {{"version", 1}, {"supervise", true}, {"exec", exec}};
  if (seen.process_peak || seen.container_peak) {
    json memory = {{"action", "deny"}};
    if (seen.process_peak) memory["max"] = limit(seen.process_peak, o.margin);
    if (seen.container_peak) memory["container_max"] = limit(seen.container_peak, o.margin);
    s.policy["memory"] = memory;
  }
  if (!seen.paths.empty()) s.policy["paths"] = {{"default", "deny"}, {"rules", path_rules(seen, o, s.notes)}};
  if (seen.incomplete) s.notes.push_back("the run saw more files than learn mode remembers: the policy may be too strict");
  if (seen.skipped) s.notes.push_back(std::to_string(seen.skipped) + " lines of the log were not learn lines vigil knows, and were skipped");
  return s;
}

}  // namespace vigil::policy
