#include "runtime/policy/learned.hpp"

#include "runtime/base/json_parse.hpp"
#include "runtime/policy/exec_policy.hpp"

namespace vigil::policy {
namespace {

using nlohmann::json;

bool flag(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_boolean() && it->get<bool>();
}

std::optional<uint32_t> u32(const json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_number_unsigned() || it->get<uint64_t>() > UINT32_MAX) return std::nullopt;
  return uint32_t(it->get<uint64_t>());
}

// The member `key` of object `o`, or null.
const json& member(const json& o, const char* key) {
  static const json none;
  auto it = o.find(key);
  return it == o.end() ? none : *it;
}

// One learn line into `out`; false when it is not of a known shape.
bool take(const json& d, Observations& out) {
  const auto& l = member(d, "learned");
  const auto& subject = member(d, "subject");
  if (!l.is_object() || !subject.is_string() || !member(l, "kind").is_string()) return false;
  const std::string kind = member(l, "kind").get<std::string>();
  const std::string path = subject.get<std::string>();
  if (kind == "exec") {
    if (flag(l, "fileless")) return out.fileless = true;
    if (path.empty() || path[0] != '/') return false;
    ExecutedFile f;
    f.path = path;
    f.program = l.value("role", json()) == "program";
    if (auto e = l.find("elf"); e != l.end() && e->is_object()) {
      f.elf = true;
      f.elf32 = flag(*e, "elf32"), f.pie = flag(*e, "pie"), f.is_static = flag(*e, "static");
      f.ldso = flag(*e, "ldso"), f.execstack = flag(*e, "execstack"), f.wx = flag(*e, "wx");
    } else {
      f.script = l.contains("interpreter");
    }
    if (const auto& dg = member(l, "digest"); dg.is_string())
      if (auto sum = parse_checksum(dg.get<std::string>())) f.digest = sum->str();
    f.dir_uid = u32(l, "dir_uid"), f.dir_mode = u32(l, "dir_mode");
    out.files.push_back(std::move(f));
    return true;
  }
  if (kind == "wx") return out.wx_map = true;
  if (kind == "incomplete") return out.incomplete = true;
  if (kind == "path") {
    if (path.empty() || path[0] != '/' || !member(l, "access").is_array()) return false;
    AccessSet s = 0;
    for (const auto& a : member(l, "access"))
      if (auto acc = a.is_string() ? parse_access(a.get<std::string>()) : std::nullopt) s |= bit(*acc);
    if (!s) return false;
    out.paths[path] |= s;
    return true;
  }
  if (kind == "memory") {
    auto b = l.find("bytes");
    if (b == l.end() || !b->is_number_unsigned()) return false;
    uint64_t bytes = b->get<uint64_t>();
    const auto scope = l.value("scope", json());
    uint64_t* peak = scope == "process" ? &out.process_peak : scope == "container" ? &out.container_peak : nullptr;
    if (!peak) return false;
    *peak = std::max(*peak, bytes);
    return true;
  }
  return false;
}

}  // namespace

Observations read_learned(std::string_view log) {
  Observations out;
  while (!log.empty()) {
    size_t end = log.find('\n');
    std::string_view line = log.substr(0, end);
    log = end == std::string_view::npos ? std::string_view() : log.substr(end + 1);
    if (line.empty()) continue;
    auto parsed = parse_json(line, "audit log");
    json d = parsed ? std::move(*parsed) : json();
    if (!d.is_object()) {
      out.skipped++;
      continue;
    }
    const auto action = d.value("action", json());
    // A traced process's exec, let through while learning: the run needs allow_debuggers.
    if (action == "warn" && d.value("rule", json()) == "exec.allow_debuggers") out.debugged = true;
    if (action != "learn") continue;
    if (take(d, out)) out.lines++;
    else out.skipped++;
  }
  return out;
}

}  // namespace vigil::policy
