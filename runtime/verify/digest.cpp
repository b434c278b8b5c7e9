#include "runtime/verify/digest.hpp"

// libcrypto's one-algorithm functions, not EVP: EVP drags OpenSSL's providers, every
// algorithm they hold, into the static vigil (4 MB more to load at each of the two execs of
// every container start). OpenSSL 3 deprecates them but keeps them, and a digest needs no more.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <functional>
#include <vector>

#include "runtime/base/file.hpp"

namespace vigil::verify {
namespace {

constexpr size_t kChunk = 64 * 1024;

std::string hex(const unsigned char* p, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * n, '\0');
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = kDigits[p[i] >> 4];
    out[2 * i + 1] = kDigits[p[i] & 0xf];
  }
  return out;
}

// Feeds the whole file, read with pread from offset 0, to `update`.
Status read_all(int fd, const std::string& what, const std::function<void(const unsigned char*, size_t)>& update) {
  std::vector<unsigned char> buf(kChunk);
  for (off_t offset = 0;; offset += off_t(kChunk)) {
    size_t n = TRY_CTX(pread_full(fd, buf.data(), kChunk, offset), what);
    update(buf.data(), n);
    if (n < kChunk) return {};  // the end of the file
  }
}

}  // namespace

std::optional<DigestAlgo> parse_digest_algo(std::string_view name) {
  if (name == "sha256") return DigestAlgo::sha256;
  if (name == "sha512") return DigestAlgo::sha512;
  return std::nullopt;
}

std::string_view digest_algo_name(DigestAlgo a) { return a == DigestAlgo::sha256 ? "sha256" : "sha512"; }

Result<std::string> file_digest(int fd, DigestAlgo algo) {
  std::string name(digest_algo_name(algo));
  if (algo == DigestAlgo::sha256) {
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    TRY(read_all(fd, name, [&](const unsigned char* p, size_t n) { SHA256_Update(&ctx, p, n); }));
    unsigned char out[SHA256_DIGEST_LENGTH];
    SHA256_Final(out, &ctx);
    return hex(out, sizeof out);
  }
  SHA512_CTX ctx;
  SHA512_Init(&ctx);
  TRY(read_all(fd, name, [&](const unsigned char* p, size_t n) { SHA512_Update(&ctx, p, n); }));
  unsigned char out[SHA512_DIGEST_LENGTH];
  SHA512_Final(out, &ctx);
  return hex(out, sizeof out);
}

}  // namespace vigil::verify
