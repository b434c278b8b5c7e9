// Modelled on `runc spec` (runc 1.2), with vigil's own defaults where noted.
#include "oci/default_spec.hpp"

#include <unistd.h>

#include <algorithm>

namespace vigil::oci {

using Json = nlohmann::json;

namespace {

Json mount(const char* destination, const char* type, const char* source, Json options) {
  Json m = {{"destination", destination}, {"type", type}, {"source", source}};
  if (!options.empty()) m["options"] = std::move(options);
  return m;
}

Json base_spec() {
  Json caps = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
  return {
      {"ociVersion", "1.2.0"},
      {"process",
       {
           {"terminal", true},  // as runc: `vigil spec && vigil run ID` gives an interactive shell
           {"user", {{"uid", 0}, {"gid", 0}}},
           {"args", {"sh"}},
           {"env", {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"}},
           {"cwd", "/"},
           {"capabilities", {{"bounding", caps}, {"effective", caps}, {"permitted", caps}, {"ambient", caps}}},
           {"rlimits", {{{"type", "RLIMIT_NOFILE"}, {"hard", 1024}, {"soft", 1024}}}},
           {"noNewPrivileges", true},
       }},
      {"root", {{"path", "rootfs"}, {"readonly", true}}},
      {"hostname", "vigil"},
      {"mounts",
       {
           mount("/proc", "proc", "proc", Json::array()),
           mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
           mount("/dev/pts", "devpts", "devpts",
                 {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}),
           mount("/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}),
           mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}),
           mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}),
           mount("/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro"}),
       }},
      {"linux",
       {
           {"resources", {{"devices", {{{"allow", false}, {"access", "rwm"}}}}}},
           {"namespaces",
            {{{"type", "pid"}}, {{"type", "network"}}, {{"type", "ipc"}},
             {{"type", "uts"}}, {{"type", "mount"}}, {{"type", "cgroup"}}}},
           {"maskedPaths",
            {"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
             "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
             "/sys/devices/virtual/powercap", "/proc/scsi"}},
           {"readonlyPaths", {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"}},
       }},
  };
}

// As runc's ToRootless: an unprivileged user can't create a network namespace worth having,
// mount sysfs, own a cgroup, or chown to ids it doesn't map, so those parts go.
void make_rootless(Json& spec) {
  auto& linux_ = spec["linux"];
  auto& namespaces = linux_["namespaces"];
  namespaces.erase(std::remove(namespaces.begin(), namespaces.end(), Json{{"type", "network"}}), namespaces.end());
  namespaces.push_back({{"type", "user"}});
  linux_["uidMappings"] = {{{"containerID", 0}, {"hostID", getuid()}, {"size", 1}}};
  linux_["gidMappings"] = {{{"containerID", 0}, {"hostID", getgid()}, {"size", 1}}};
  linux_.erase("resources");

  Json mounts = Json::array();
  for (auto m : spec["mounts"]) {
    if (m["destination"] == "/sys/fs/cgroup") continue;
    if (m["destination"] == "/sys") m = mount("/sys", "none", "/sys", {"rbind", "nosuid", "noexec", "nodev", "ro"});
    if (m.contains("options")) {
      auto& opts = m["options"];
      opts.erase(std::remove_if(opts.begin(), opts.end(),
                                [](const Json& o) {
                                  const auto& s = o.get_ref<const std::string&>();
                                  return s.starts_with("uid=") || s.starts_with("gid=");
                                }),
                 opts.end());
    }
    mounts.push_back(std::move(m));
  }
  spec["mounts"] = std::move(mounts);
}

}  // namespace

Json default_spec(bool rootless) {
  Json spec = base_spec();
  if (rootless) make_rootless(spec);
  return spec;
}

}  // namespace vigil::oci
