#pragma once

#include <optional>
#include <string>

#include "oci/state.hpp"
#include "runtime/base/unique_fd.hpp"
#include "runtime/container/store.hpp"

namespace vigil {

// "created" (init alive, waiting on the exec fifo), "running", or "stopped" (init gone,
// or its pid now belongs to another process).
std::string container_status(const ContainerDir& dir, const oci::ContainerState& s);

}  // namespace vigil
