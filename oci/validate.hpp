// The rules of runtime-spec 1.2 (as runc reads it) that the JSON types alone don't enforce.
// Used by parse_spec(); messages name the JSON path, and parse_spec() adds the file.
#pragma once

#include <string>
#include <vector>

#include "oci/spec.hpp"
#include "runtime/base/error.hpp"

namespace vigil::oci {

// Any 1.x.y, optionally with a -suffix ("1.0.2-dev"). Checked before the rest is read,
// since another major version may give the same fields other shapes.
Status check_oci_version(const std::string& version);

// Checks everything but ociVersion, and normalises what runc normalises: a relative mount
// destination is made absolute and an unknown capability dropped (each with a warning),
// sysctl keys written with '/' get dots.
Status validate_spec(Spec& spec, std::vector<std::string>* warnings);

}  // namespace vigil::oci
