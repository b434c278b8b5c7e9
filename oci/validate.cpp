#include "oci/validate.hpp"

#include <sys/capability.h>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <utility>

#include "oci/json_reader.hpp"

namespace vigil::oci {

namespace {

void warn(std::vector<std::string>* warnings, std::string w) {
  if (warnings) warnings->push_back(std::move(w));
}

std::string at(const std::string& list, size_t i) { return list + "[" + std::to_string(i) + "]"; }

Status check_absolute(const std::string& what, const std::string& path) {
  if (path.starts_with('/')) return {};
  return Error::msg(what + " must be an absolute path (got " + quote(path) + ")");
}

Status check_all_absolute(const std::string& list, const std::vector<std::string>& paths) {
  for (size_t i = 0; i < paths.size(); i++) TRY(check_absolute(at(list, i), paths[i]));
  return {};
}

// No two items of `list` may share key(item), which names field `field`.
template <class T, class Key>
Status check_unique(const std::vector<T>& items, const std::string& list, const std::string& field, Key key) {
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < items.size(); i++) {
    auto [it, fresh] = seen.emplace(key(items[i]), i);
    if (!fresh)
      return Error::msg(at(list, i) + "." + field + " " + quote(it->first) + " is already given in " +
                        at(list, it->second));
  }
  return {};
}

// cap_from_name() also takes "kill", "5" and trailing blanks; a config says CAP_KILL.
bool known_capability(const std::string& name) {
  bool well_formed = name.starts_with("CAP_") && std::all_of(name.begin(), name.end(), [](char c) {
                       return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
                     });
  cap_value_t value;
  return well_formed && cap_from_name(name.c_str(), &value) == 0;
}

// runc drops capabilities its libcap doesn't know, so configs written for newer kernels still run.
void drop_unknown_capabilities(Capabilities& caps, std::vector<std::string>* warnings) {
  std::set<std::string> warned;
  for (auto* list : {&caps.bounding, &caps.effective, &caps.inheritable, &caps.permitted, &caps.ambient}) {
    std::erase_if(*list, [&](const std::string& name) {
      if (known_capability(name)) return false;
      if (warned.insert(name).second) warn(warnings, "ignoring unknown capability " + name);
      return true;
    });
  }
}

Status check_process(Process& p, std::vector<std::string>* warnings) {
  if (p.args.empty()) return Error::msg("process.args must not be empty");
  if (p.cwd.empty()) return Error::msg("process.cwd is required");
  TRY(check_absolute("process.cwd", p.cwd));
  for (size_t i = 0; i < p.env.size(); i++) {
    auto eq = p.env[i].find('=');
    if (eq == std::string::npos || eq == 0)
      return Error::msg(at("process.env", i) + " must be of the form KEY=VALUE (got " + quote(p.env[i]) + ")");
  }
  TRY(check_unique(p.rlimits, "process.rlimits", "type", [](const Rlimit& rl) { return rl.type; }));
  for (size_t i = 0; i < p.rlimits.size(); i++) {
    const auto& rl = p.rlimits[i];
    if (rl.soft > rl.hard)
      return Error::msg(at("process.rlimits", i) + ": soft limit " + std::to_string(rl.soft) +
                        " exceeds hard limit " + std::to_string(rl.hard));
  }
  if (p.oom_score_adj && (*p.oom_score_adj < -1000 || *p.oom_score_adj > 1000))
    return Error::msg("process.oomScoreAdj must be between -1000 and 1000 (got " +
                      std::to_string(*p.oom_score_adj) + ")");
  if (p.capabilities) drop_unknown_capabilities(*p.capabilities, warnings);
  return {};
}

// runc accepts a relative destination as relative to the container's /.
Status check_mounts(std::vector<Mount>& mounts, std::vector<std::string>* warnings) {
  for (size_t i = 0; i < mounts.size(); i++) {
    auto& dest = mounts[i].destination;
    if (dest.empty()) return Error::msg(at("mounts", i) + ".destination is required");
    if (dest.starts_with('/')) continue;
    warn(warnings, at("mounts", i) + ".destination " + quote(dest) + " is relative; using " + quote("/" + dest));
    dest = "/" + dest;
  }
  return {};
}

Status check_hooks(const Hooks& hooks) {
  for (const auto& [name, list] : kHookPoints) {
    const auto& hs = hooks.*list;
    for (size_t i = 0; i < hs.size(); i++) {
      std::string path = at(std::string("hooks.") + name, i);
      if (hs[i].path.empty()) return Error::msg(path + ".path is required");
      TRY(check_absolute(path + ".path", hs[i].path));
      if (hs[i].timeout && *hs[i].timeout <= 0) return Error::msg(path + ".timeout must be > 0");
    }
  }
  return {};
}

Status check_namespaces(const Linux& l) {
  TRY(check_unique(l.namespaces, "linux.namespaces", "type",
                   [](const Namespace& ns) { return std::string(namespace_name(ns.type)); }));
  for (size_t i = 0; i < l.namespaces.size(); i++)
    if (!l.namespaces[i].path.empty()) TRY(check_absolute(at("linux.namespaces", i) + ".path", l.namespaces[i].path));
  return {};
}

Status check_id_mappings(const Linux& l) {
  using Maps = std::pair<std::string, const std::vector<IdMapping>*>;
  for (const auto& [name, maps] : {Maps{"linux.uidMappings", &l.uid_mappings}, Maps{"linux.gidMappings", &l.gid_mappings}}) {
    for (size_t i = 0; i < maps->size(); i++)
      if ((*maps)[i].size == 0) return Error::msg(at(name, i) + ".size must be > 0");
    if (!maps->empty() && !l.has(NamespaceType::user)) return Error::msg(name + " requires a user namespace");
  }
  // A joined user namespace brings its own mappings; a new one is useless without them.
  const Namespace* user = l.find(NamespaceType::user);
  if (user && user->path.empty()) {
    if (l.uid_mappings.empty()) return Error::msg("a new user namespace requires linux.uidMappings");
    if (l.gid_mappings.empty()) return Error::msg("a new user namespace requires linux.gidMappings");
  }
  return {};
}

// Offsets are written once, into a time namespace before its first process enters it.
Status check_time_offsets(const Linux& l) {
  for (const auto& [clock, offset] : l.time_offsets) {
    if (clock != "monotonic" && clock != "boottime")
      return Error::msg("linux.timeOffsets: unknown clock " + quote(clock) + " (only monotonic and boottime can be offset)");
    if (offset.nanosecs >= 1'000'000'000)
      return Error::msg("linux.timeOffsets." + clock + ".nanosecs must be < 1000000000");
  }
  const Namespace* time = l.find(NamespaceType::time);
  if (!l.time_offsets.empty() && (!time || !time->path.empty()))
    return Error::msg("linux.timeOffsets requires a new time namespace");
  return {};
}

Status check_devices(const std::vector<Device>& devices) {
  for (size_t i = 0; i < devices.size(); i++) TRY(check_absolute(at("linux.devices", i) + ".path", devices[i].path));
  return check_unique(devices, "linux.devices", "path", [](const Device& d) { return d.path; });
}

Status check_propagation(const std::string& p) {
  static const std::set<std::string> kModes = {"",       "private",    "rprivate",  "slave", "rslave",
                                               "shared", "rshared", "unbindable", "runbindable"};
  if (kModes.contains(p)) return {};
  return Error::msg(
      "linux.rootfsPropagation must be one of private, rprivate, slave, rslave, shared, rshared, "
      "unbindable, runbindable (got " + quote(p) + ")");
}

// The namespace that makes sysctl `key` the container's own; nullopt when none does.
std::optional<NamespaceType> sysctl_namespace(const std::string& key) {
  static const std::set<std::string> kIpc = {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
                                             "kernel.sem",    "kernel.shmall", "kernel.shmmax",
                                             "kernel.shmmni", "kernel.shm_rmid_forced"};
  if (kIpc.contains(key) || key.starts_with("fs.mqueue.")) return NamespaceType::ipc;
  if (key.starts_with("net.")) return NamespaceType::network;
  if (key == "kernel.hostname" || key == "kernel.domainname") return NamespaceType::uts;
  return std::nullopt;
}

// Setting a host-wide sysctl from a container would change the host, so only namespaced ones pass.
Status check_sysctl(Linux& l) {
  std::map<std::string, std::string> normalised;
  for (const auto& [key, value] : l.sysctl) {
    std::string k = key;
    std::replace(k.begin(), k.end(), '/', '.');
    auto ns = sysctl_namespace(k);
    if (!ns) return Error::msg("linux.sysctl: " + k + " is not namespaced; refusing to set it for a container");
    if (!l.has(*ns))
      return Error::msg("linux.sysctl: " + k + " requires " + (*ns == NamespaceType::ipc ? "an " : "a ") +
                        namespace_name(*ns) + " namespace");
    if (!normalised.emplace(k, value).second) return Error::msg("linux.sysctl: " + k + " is given twice");
  }
  l.sysctl = std::move(normalised);
  return {};
}

Status check_personality(const Personality& p) {
  if (p.domain != "LINUX" && p.domain != "LINUX32")
    return Error::msg("linux.personality.domain must be LINUX or LINUX32 (got " + quote(p.domain) + ")");
  for (size_t i = 0; i < p.flags.size(); i++)
    if (!personality_flag(p.flags[i]))
      return Error::msg(at("linux.personality.flags", i) + " must be a personality(2) flag such as ADDR_NO_RANDOMIZE (got " +
                        quote(p.flags[i]) + ")");
  return {};
}

Status check_linux(Linux& l) {
  TRY(check_namespaces(l));
  TRY(check_id_mappings(l));
  TRY(check_time_offsets(l));
  TRY(check_devices(l.devices));
  TRY(check_propagation(l.rootfs_propagation));
  TRY(check_all_absolute("linux.maskedPaths", l.masked_paths));
  TRY(check_all_absolute("linux.readonlyPaths", l.readonly_paths));
  TRY(check_sysctl(l));
  if (l.personality) TRY(check_personality(*l.personality));
  return {};
}

// A semver number: digits, no leading zero.
bool version_number(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         (s.size() == 1 || s[0] != '0');
}

// 1.MINOR.PATCH, optionally followed by -SUFFIX.
bool is_1x_version(std::string_view v) {
  if (!v.starts_with("1.")) return false;
  v.remove_prefix(2);
  auto dot = v.find('.');
  if (dot == std::string_view::npos || !version_number(v.substr(0, dot))) return false;
  v.remove_prefix(dot + 1);
  auto dash = v.find('-');
  if (!version_number(v.substr(0, dash))) return false;
  if (dash == std::string_view::npos) return true;
  auto suffix = v.substr(dash + 1);
  return !suffix.empty() && std::all_of(suffix.begin(), suffix.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '+' ||
           c == '-';
  });
}

}  // namespace

Status check_oci_version(const std::string& version) {
  if (version.empty()) return Error::msg("ociVersion is required");
  if (is_1x_version(version)) return {};
  return Error::msg("ociVersion " + quote(version) + " is not supported: vigil reads 1.x.y (>= 1.0.0, < 2.0.0)");
}

Status validate_spec(Spec& spec, std::vector<std::string>* warnings) {
  if (spec.root.path.empty()) return Error::msg("root.path is required");
  if (spec.process) TRY(check_process(*spec.process, warnings));
  TRY(check_mounts(spec.mounts, warnings));
  TRY(check_hooks(spec.hooks));
  if (!spec.hostname.empty() && !spec.linux.has(NamespaceType::uts))
    return Error::msg("hostname requires a uts namespace");
  if (!spec.domainname.empty() && !spec.linux.has(NamespaceType::uts))
    return Error::msg("domainname requires a uts namespace");
  if (spec.annotations.contains("")) return Error::msg("annotations must not have an empty key");
  return check_linux(spec.linux);
}

}  // namespace vigil::oci
