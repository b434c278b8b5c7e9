// An existing container, locked, with its state and cgroup loaded: what every verb after
// create starts from.
#pragma once

#include <optional>
#include <string>

#include "oci/state.hpp"
#include "runtime/base/unique_fd.hpp"
#include "runtime/cgroup/cgroup.hpp"
#include "runtime/container/store.hpp"

namespace vigil {

struct Container {
  ContainerDir dir;
  oci::ContainerState state;
  cgroup::Cgroup cgroup;

  static Result<Container> open(const std::string& root, const std::string& id, bool lock = true);
  // "created", "running", "paused" or "stopped".
  std::string status() const;
  // A pidfd of the init while it is the process create started.
  std::optional<unique_fd> init() const;
};

}  // namespace vigil
