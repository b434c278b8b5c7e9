// Entering the container's namespaces: join those given by path, create the rest.
// The order matters and is spelled out in enter_namespaces' comments (init_main.cpp runs it).
#pragma once

#include <sys/types.h>

#include <string>

#include "oci/spec.hpp"
#include "runtime/base/error.hpp"

namespace vigil {

// setns into every namespace given by path: the user namespace first, so the others are
// joined with the privileges it grants.
Status join_namespaces(const oci::Linux& linux);
bool wants_new_userns(const oci::Linux& linux);
// CLONE_NEW* flags of the namespaces to create, other than the user namespace.
int unshare_flags(const oci::Linux& linux);
bool wants_new_time_ns(const oci::Linux& linux);
// Writes linux.timeOffsets for the time namespace that process `pid` (0: this one) has just unshared.
Status write_time_offsets(pid_t pid, const oci::Linux& linux);

// "0 100000 65536\n" lines for /proc/PID/uid_map.
std::string format_id_map(const std::vector<oci::IdMapping>& m);
// Written by the parent, which holds the privileges in the parent user namespace: the id
// maps, and the time offsets when the time namespace was made with the user namespace.
Status write_id_maps(pid_t pid, const oci::Linux& linux);

}  // namespace vigil
