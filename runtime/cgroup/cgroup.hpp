// The container's cgroup: one directory in every hierarchy of the host (v1 controllers,
// the v2 unified tree, or both on a hybrid host), created by create, removed by delete.
// Directories that existed before are joined and left alone.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/base/error.hpp"
#include "runtime/cgroup/hierarchies.hpp"
#include "runtime/cgroup/resources.hpp"
#include "runtime/cgroup/systemd/unit_name.hpp"
#include "runtime/rootfs/rootfs.hpp"

namespace vigil::cgroup {

struct Dir {
  Hierarchy hierarchy;
  std::string path;                  // absolute host path of the container's cgroup here
  std::vector<std::string> created;  // the directories we made, outermost first
};

// Every process in the cgroup directory `dir` (an fd) and its sub-cgroups; none when it is
// gone. By fd, for a caller whose root may not be the host's (the supervisor's judging thread).
Result<std::vector<pid_t>> pids_at(int dir);

class Cgroup {
 public:
  // Where the container's cgroup is: cgroupsPath absolute (from each hierarchy's root),
  // relative (below this process's own cgroup), or empty (/vigil/<id>). With `systemd`
  // (--systemd-cgroup), the transient scope "slice:prefix:name" names, on a cgroup v2 host.
  static Result<Cgroup> plan(const std::vector<Hierarchy>& hs, const std::string& cgroups_path, const std::string& id,
                             bool systemd = false);
  static Result<Cgroup> from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;

  // Makes the directories (cgroupfs); under systemd, nothing: the scope is made with its first
  // process (start_scope).
  Status create();
  // systemd: the scope, with `pid` in it and the resources systemd has as its properties;
  // then the rest written as cgroupfs writes them (apply).
  Status start_scope(pid_t pid, const Resources& r, std::vector<std::string>* warnings);
  // apply, and under systemd the unit's properties too.
  Status update(const Resources& r, std::vector<std::string>* warnings);
  bool systemd() const { return unit_.has_value(); }
  // Writes the resources; `warnings` collects what was skipped (kernel memory limits).
  Status apply(const Resources& r, std::vector<std::string>* warnings);
  Status join(pid_t pid) const;
  // exec --cgroup: the existing sub-cgroups named by `specs`, each `SUB` (every hierarchy) or
  // `CONTROLLER[,CONTROLLER…]:SUB` (the hierarchies carrying those; "unified" names v2).
  // Hierarchies no spec names stay at the container's own cgroup.
  Result<Cgroup> sub_cgroup(const std::vector<std::string>& specs) const;
  // Every process in it, from the first hierarchy that lists them.
  Result<std::vector<pid_t>> pids() const;
  // That hierarchy's directory ("" with none).
  std::string procs_dir() const { return dirs_.empty() ? "" : dirs_.front().path; }
  // Whether `pid` is in this cgroup now (per /proc/PID/cgroup).
  bool contains(pid_t pid) const;
  // SIGKILL to every process at once through a v2 cgroup.kill; false where there is none.
  bool kill_all() const;
  Status freeze(bool frozen) const;
  bool frozen() const;
  // Removes what create made, innermost first, once no process is left in it; under
  // systemd, stops the scope and forgets it.
  Status destroy();
  // What the container's /sys/fs/cgroup shows.
  std::vector<CgroupBind> binds() const;
  bool empty() const { return dirs_.empty(); }
  // The directory of the hierarchy that carries `controller`, or nullptr.
  const Dir* find(const std::string& controller) const;

 private:
  // v2: a controller is usable in a cgroup only when its parent delegates it
  // (cgroup.subtree_control). We enable it in the levels we created, and on a host of v2
  // alone in its parents too; beside v1 hierarchies a level we did not create must already
  // delegate it, or the error names the file to change.
  Status enable_v2(const Dir& d, const std::string& v1_name) const;
  Status apply_device_filter(const std::vector<DeviceRule>& rules) const;
  std::vector<Dir> dirs_;
  std::optional<systemd::UnitName> unit_;
  std::string owned_;  // a parent that is vigil's even if another create made it ("/vigil")
};

}  // namespace vigil::cgroup
