// File digests against known vectors, across the 64 KiB chunks they are read in.
#include "runtime/verify/digest.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "runtime/base/file.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil::verify {
namespace {

std::string digest_of(const std::string& bytes, DigestAlgo algo) {
  internal::TempDir dir;
  auto fd = open_fd(dir.write("f", bytes), O_RDONLY).value();
  auto d = file_digest(fd.get(), algo);
  EXPECT_TRUE(d.ok()) << d.error().str();
  return d.value_or("");
}

TEST(VerifyDigest, KnownVectors) {
  EXPECT_EQ(digest_of("", DigestAlgo::sha256), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(digest_of("abc", DigestAlgo::sha256), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(digest_of("", DigestAlgo::sha512),
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
  EXPECT_EQ(digest_of("abc", DigestAlgo::sha512),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

TEST(VerifyDigest, FilesOfManyChunks) {
  // FIPS 180-2's million "a"s, and exactly two chunks (sha256sum and sha512sum agree).
  EXPECT_EQ(digest_of(std::string(1000000, 'a'), DigestAlgo::sha256),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(digest_of(std::string(131072, 'a'), DigestAlgo::sha256),
            "b44ffb72fcc259676bd80495fef1b44b808ca8f1ffe1b1706a4d7911b0e31f11");
  EXPECT_EQ(digest_of(std::string(131072, 'a'), DigestAlgo::sha512),
            "20ef14688786cd1e1fbae10f6f83f8f066d0563c94f6b4e5f47e076460d070c4"
            "2e3fcc824ca2ed35eb11107bee70820199b60c37af12d00f1736b856f41ff7bf");
}

TEST(VerifyDigest, WholeFileWhateverTheOffset) {
  internal::TempDir dir;
  auto fd = open_fd(dir.write("f", "abc"), O_RDONLY).value();
  ASSERT_EQ(::lseek(fd.get(), 2, SEEK_SET), 2);
  EXPECT_EQ(file_digest(fd.get(), DigestAlgo::sha256).value_or(""),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(::lseek(fd.get(), 0, SEEK_CUR), 2);
}

TEST(VerifyDigest, Errors) {
  auto bad = file_digest(-1, DigestAlgo::sha256);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), EBADF);
  EXPECT_EQ(bad.error().what(), "sha256: pread");
  internal::TempDir dir;
  auto d = open_fd(dir.path(), O_RDONLY | O_DIRECTORY).value();
  EXPECT_EQ(file_digest(d.get(), DigestAlgo::sha512).error().code(), EISDIR);
}

TEST(VerifyDigest, AlgoNames) {
  for (auto a : {DigestAlgo::sha256, DigestAlgo::sha512}) EXPECT_EQ(parse_digest_algo(digest_algo_name(a)), a);
  for (const char* name : {"", "SHA256", "sha-256", "md5", "sha1", "sha256 "})
    EXPECT_FALSE(parse_digest_algo(name)) << name;
}

}  // namespace
}  // namespace vigil::verify
