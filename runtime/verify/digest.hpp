// File digests for exec.checksums (OpenSSL's libcrypto).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "runtime/base/error.hpp"

namespace vigil::verify {

enum class DigestAlgo { sha256, sha512 };

std::optional<DigestAlgo> parse_digest_algo(std::string_view name);
std::string_view digest_algo_name(DigestAlgo a);
// The lower-case hex digest of the whole file, read with pread from offset 0.
Result<std::string> file_digest(int fd, DigestAlgo algo);

}  // namespace vigil::verify
