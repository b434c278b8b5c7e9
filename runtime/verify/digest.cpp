#include "runtime/verify/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <memory>
#include <vector>

#include "runtime/base/file.hpp"

namespace vigil::verify {
namespace {

constexpr size_t kChunk = 64 * 1024;

struct CtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using DigestCtx = std::unique_ptr<EVP_MD_CTX, CtxFree>;

Error openssl_error(const std::string& what) {
  char text[256];
  ERR_error_string_n(ERR_get_error(), text, sizeof text);
  ERR_clear_error();
  return Error::msg(what + ": " + text);
}

// Digests need no configuration, and a static vigil could not load the modules one names.
bool init_openssl() {
  static const bool ok = OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr) == 1;
  return ok;
}

const EVP_MD* md(DigestAlgo a) { return a == DigestAlgo::sha256 ? EVP_sha256() : EVP_sha512(); }

std::string hex(const unsigned char* p, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * n, '\0');
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = kDigits[p[i] >> 4];
    out[2 * i + 1] = kDigits[p[i] & 0xf];
  }
  return out;
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
  if (!init_openssl()) return openssl_error(name + ": OPENSSL_init_crypto");
  DigestCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md(algo), nullptr) != 1) return openssl_error(name + ": EVP_DigestInit_ex");
  std::vector<unsigned char> buf(kChunk);
  for (off_t offset = 0;; offset += off_t(kChunk)) {
    size_t n = TRY_CTX(pread_full(fd, buf.data(), kChunk, offset), name);
    if (EVP_DigestUpdate(ctx.get(), buf.data(), n) != 1) return openssl_error(name + ": EVP_DigestUpdate");
    if (n < kChunk) break;  // the end of the file
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out, &len) != 1) return openssl_error(name + ": EVP_DigestFinal_ex");
  return hex(out, len);
}

}  // namespace vigil::verify
