// What create checks before anything on the host changes: the parts of a valid config
// that this host or this version of vigil cannot honour, each refused with its reason.
#pragma once

#include <string>

#include "oci/spec.hpp"
#include "runtime/base/error.hpp"

namespace vigil {

Status preflight(const oci::Spec& spec, const std::string& rootfs, const std::string& console_socket, bool detached);
// process.apparmorProfile, process.selinuxLabel, linux.mountLabel (exec checks these too).
Status check_lsm_labels(const oci::Spec& spec);

}  // namespace vigil
