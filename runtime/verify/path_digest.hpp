// The digest of a file named by path, for `vigil policy hash`: a checksum to write into a
// policy before any container runs.
#pragma once

#include <string>

#include "runtime/base/error.hpp"
#include "runtime/verify/digest.hpp"

namespace vigil::verify {

// The digest of the regular file at `path` (symlinks followed). With `root_dir`, `path` is
// looked up inside that directory as a container rooted there would see it: symlinks,
// absolute ones too, and ".." stay inside it.
Result<std::string> path_digest(const std::string& path, DigestAlgo algo, const std::string& root_dir = "");

}  // namespace vigil::verify
