// Compiled filters, cached in the state root: libseccomp takes tens of milliseconds for a
// profile like podman's or Kubernetes' RuntimeDefault, and every container of a host uses
// the same few. An entry holds its full key, compared on every hit, so a hash collision can
// only miss; it is only ever written by root into the root-only state directory.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/base/error.hpp"
#include "runtime/seccomp/profile.hpp"
#include "runtime/seccomp/program.hpp"

namespace vigil::seccomp {

// The program for `p` (parsed from `raw`, config.json's linux.seccomp), from `cache_dir`
// when an entry matches this profile, libseccomp, kernel and vigil, else compiled and stored
// there (best effort: a cache that cannot be written only costs the next container the
// compile). `debug` collects build_filter's notes on a miss.
Result<Program> compile_cached(const Profile& p, const nlohmann::json& raw, const std::string& cache_dir,
                               std::vector<std::string>* debug);

}  // namespace vigil::seccomp
