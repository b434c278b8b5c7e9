// JSON → oci::Spec: the types of every field here, the rules between fields in validate.cpp.
#include "oci/parse.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <iterator>
#include <utility>

#include "oci/json_reader.hpp"
#include "oci/validate.hpp"
#include "runtime/base/file.hpp"
#include "runtime/base/json_parse.hpp"

namespace vigil::oci {

namespace {

using Json = nlohmann::json;

constexpr std::pair<const char*, int> kRlimits[] = {
    {"RLIMIT_AS", RLIMIT_AS},           {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},         {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},     {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},       {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},     {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},   {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING}, {"RLIMIT_STACK", RLIMIT_STACK},
};

Result<Rlimit> read_rlimit(const JsonReader& r) {
  Rlimit rl;
  TRY(r.require("type", rl.type));
  auto known = std::find_if(std::begin(kRlimits), std::end(kRlimits),
                            [&](const auto& k) { return rl.type == k.first; });
  if (known == std::end(kRlimits))
    return Error::msg(r.member_path("type") + " must be a known RLIMIT_* name (got " + quote(rl.type) + ")");
  rl.resource = known->second;
  TRY(r.require("soft", rl.soft));
  TRY(r.require("hard", rl.hard));
  return rl;
}

Result<Capabilities> read_capabilities(const JsonReader& r) {
  Capabilities c;
  TRY(r.get("bounding", c.bounding));
  TRY(r.get("effective", c.effective));
  TRY(r.get("inheritable", c.inheritable));
  TRY(r.get("permitted", c.permitted));
  TRY(r.get("ambient", c.ambient));
  return c;
}

Result<Process> read_process(const JsonReader& r) {
  Process p;
  TRY(r.get("terminal", p.terminal));
  if (auto cs = TRY(r.object("consoleSize"))) {
    ConsoleSize size;
    TRY(cs->get("height", size.height));
    TRY(cs->get("width", size.width));
    p.console_size = size;
  }
  if (auto u = TRY(r.object("user"))) {
    TRY(u->get("uid", p.user.uid));
    TRY(u->get("gid", p.user.gid));
    TRY(u->get("umask", p.user.umask));
    TRY(u->get("additionalGids", p.user.additional_gids));
  }
  TRY(r.get("args", p.args));
  TRY(r.get("env", p.env));
  TRY(r.get("cwd", p.cwd));
  if (auto c = TRY(r.object("capabilities"))) p.capabilities = TRY(read_capabilities(*c));
  for (const auto& rl : TRY(r.array("rlimits"))) p.rlimits.push_back(TRY(read_rlimit(rl)));
  TRY(r.get("noNewPrivileges", p.no_new_privileges));
  TRY(r.get("apparmorProfile", p.apparmor_profile));
  TRY(r.get("oomScoreAdj", p.oom_score_adj));
  TRY(r.get("selinuxLabel", p.selinux_label));
  return p;
}

Result<Mount> read_mount(const JsonReader& r) {
  Mount m;
  TRY(r.get("destination", m.destination));
  TRY(r.get("type", m.type));
  TRY(r.get("source", m.source));
  TRY(r.get("options", m.options));
  return m;
}

Result<Hooks> read_hooks(const JsonReader& r) {
  Hooks hooks;
  for (const auto& [name, list] : kHookPoints) {
    for (const auto& h : TRY(r.array(name))) {
      Hook& hook = (hooks.*list).emplace_back();
      TRY(h.get("path", hook.path));
      TRY(h.get("args", hook.args));
      TRY(h.get("env", hook.env));
      TRY(h.get("timeout", hook.timeout));
    }
  }
  return hooks;
}

}  // namespace

Result<Hooks> parse_hooks(const nlohmann::json& hooks) {
  if (hooks.is_null()) return Hooks{};
  return read_hooks(JsonReader(hooks, "hooks"));
}

namespace {

Result<Namespace> read_namespace(const JsonReader& r) {
  std::string type;
  TRY(r.require("type", type));
  auto t = namespace_from_name(type);
  if (!t)
    return Error::msg(r.member_path("type") +
                      " must be one of pid, network, mount, ipc, uts, user, cgroup, time (got " +
                      quote(type) + ")");
  Namespace ns{*t, ""};
  TRY(r.get("path", ns.path));
  return ns;
}

Result<IdMapping> read_id_mapping(const JsonReader& r) {
  IdMapping m;
  TRY(r.require("containerID", m.container_id));
  TRY(r.require("hostID", m.host_id));
  TRY(r.require("size", m.size));
  return m;
}

Result<TimeOffset> read_time_offset(const JsonReader& r) {
  if (!r.json().is_object()) return r.error("must be an object");
  TimeOffset t;
  TRY(r.get("secs", t.secs));
  TRY(r.get("nanosecs", t.nanosecs));
  return t;
}

Result<Device> read_device(const JsonReader& r) {
  Device d;
  std::string type;
  TRY(r.require("path", d.path));
  TRY(r.require("type", type));
  if (type.size() != 1 || std::string_view("cbup").find(type[0]) == std::string_view::npos)
    return Error::msg(r.member_path("type") + " must be one of c, b, u, p (got " + quote(type) + ")");
  d.type = type[0];
  // A fifo has no device number; the other types are nothing without one.
  for (const char* key : {"major", "minor"})
    if (d.type != 'p' && !r.member(key)) return Error::msg(r.member_path(key) + " is required for type " + type);
  TRY(r.get("major", d.major));
  TRY(r.get("minor", d.minor));
  TRY(r.get("fileMode", d.file_mode));
  TRY(r.get("uid", d.uid));
  TRY(r.get("gid", d.gid));
  return d;
}

Result<Linux> read_linux(const JsonReader& r) {
  Linux l;
  for (const auto& ns : TRY(r.array("namespaces"))) l.namespaces.push_back(TRY(read_namespace(ns)));
  for (const auto& m : TRY(r.array("uidMappings"))) l.uid_mappings.push_back(TRY(read_id_mapping(m)));
  for (const auto& m : TRY(r.array("gidMappings"))) l.gid_mappings.push_back(TRY(read_id_mapping(m)));
  if (auto offsets = TRY(r.object("timeOffsets")))
    for (const auto& [clock, offset] : TRY(offsets->members()))
      l.time_offsets[clock] = TRY(read_time_offset(offset));
  for (const auto& d : TRY(r.array("devices"))) l.devices.push_back(TRY(read_device(d)));
  TRY(r.get("cgroupsPath", l.cgroups_path));
  if (auto res = TRY(r.object("resources"))) l.resources = res->json();
  TRY(r.get("rootfsPropagation", l.rootfs_propagation));
  if (auto sc = TRY(r.object("seccomp"))) l.seccomp = sc->json();
  TRY(r.get("sysctl", l.sysctl));
  TRY(r.get("maskedPaths", l.masked_paths));
  TRY(r.get("readonlyPaths", l.readonly_paths));
  TRY(r.get("mountLabel", l.mount_label));
  if (auto p = TRY(r.object("personality"))) {
    Personality pers;
    TRY(p->get("domain", pers.domain));
    TRY(p->get("flags", pers.flags));
    l.personality = std::move(pers);
  }
  return l;
}

Result<Spec> read_spec(const Json& doc) {
  if (!doc.is_object()) return Error::msg("the top level must be a JSON object");
  JsonReader r(doc, "");
  Spec s;
  TRY(r.get("ociVersion", s.oci_version));
  TRY(check_oci_version(s.oci_version));
  if (auto p = TRY(r.object("process"))) s.process = TRY(read_process(*p));
  auto root = TRY(r.object("root"));
  if (!root) return Error::msg("root is required");
  TRY(root->get("path", s.root.path));
  TRY(root->get("readonly", s.root.readonly));
  TRY(r.get("hostname", s.hostname));
  TRY(r.get("domainname", s.domainname));
  for (const auto& m : TRY(r.array("mounts"))) s.mounts.push_back(TRY(read_mount(m)));
  if (auto h = TRY(r.object("hooks"))) s.hooks = TRY(read_hooks(*h));
  TRY(r.get("annotations", s.annotations));
  if (auto l = TRY(r.object("linux"))) s.linux = TRY(read_linux(*l));
  return s;
}

}  // namespace

Result<Spec> parse_spec(const std::string& text, const std::string& file, std::vector<std::string>* warnings) {
  Json doc = TRY(parse_json(text, file));
  auto spec = TRY_CTX(read_spec(doc), file);
  TRY_CTX(validate_spec(spec, warnings), file);
  spec.raw = std::move(doc);
  return spec;
}

Result<Spec> load_spec(const std::string& bundle_dir, std::vector<std::string>* warnings) {
  std::string path = bundle_dir.empty() || bundle_dir.ends_with('/') ? bundle_dir + "config.json"
                                                                    : bundle_dir + "/config.json";
  auto text = TRY(read_file(path));
  return parse_spec(text, path, warnings);
}

}  // namespace vigil::oci
