// The systemd cgroup driver's names (runc's and crun's convention): a cgroupsPath
// "slice:prefix:name" is the transient scope "prefix-name.scope" in that slice, whose cgroup
// systemd puts where the slice's name says: "kubepods-burstable-pod1234.slice" lives in
// kubepods.slice/kubepods-burstable.slice/. Pure, so the rules are unit-tested.
#pragma once

#include <string>

#include "runtime/base/error.hpp"

namespace vigil::cgroup::systemd {

struct UnitName {
  std::string slice;  // "system.slice", "kubepods-burstable-pod1234.slice"; "-.slice" is the root
  std::string unit;   // "cri-containerd-abcd.scope"
  // The unit's cgroup, relative to the unified hierarchy's root: "/system.slice/vigil-c1.scope".
  std::string cgroup_path() const;
};

// From a cgroupsPath (empty: ":vigil:ID") and the container's id: empty parts take runc's
// defaults (the slice system.slice, the name the id; no prefix, no dash).
Result<UnitName> unit_name(const std::string& cgroups_path, const std::string& id);

// "a-b-c.slice" → "/a.slice/a-b.slice/a-b-c.slice"; "-.slice" → "". EINVAL for a name that is
// not a slice systemd would accept.
Result<std::string> expand_slice(const std::string& slice);

}  // namespace vigil::cgroup::systemd
