// The facts cache: one computation per version of a file, bounded, shared by threads.
#include "runtime/verify/file_facts.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <thread>
#include <vector>

#include "runtime/base/file.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil::verify {
namespace {

// A file of the test's, open, with its fstat.
struct File {
  unique_fd fd;
  struct stat st {};
  File(const internal::TempDir& dir, const std::string& name, const std::string& bytes) {
    fd = open_fd(dir.write(name, bytes), O_RDONLY).value();
    EXPECT_EQ(::fstat(fd.get(), &st), 0);
  }
};

// `fd` as the cache asks for it.
FactsCache::Readable fd_of(int fd) {
  return [fd]() -> Result<int> { return fd; };
}

std::string sha256(FactsCache& cache, const File& f) {
  return cache.digest(fd_of(f.fd.get()), f.st, DigestAlgo::sha256).value();
}

constexpr const char* kAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* kEmpty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

TEST(VerifyFacts, ElfOrScript) {
  internal::TempDir dir;
  LocalExaminer examiner;
  FactsCache cache(examiner);
  File script(dir, "s", "#!/bin/sh -e\nexit 0\n");
  auto s = cache.facts(fd_of(script.fd.get()), script.st);
  ASSERT_TRUE(s.ok()) << s.error().str();
  EXPECT_FALSE(s->elf.is_elf);
  ASSERT_TRUE(s->shebang.has_value());
  EXPECT_EQ(s->shebang->interpreter, "/bin/sh");
  EXPECT_EQ(s->shebang->arg, "-e");

  auto ls = open_fd("/bin/ls", O_RDONLY).value();
  struct stat st;
  ASSERT_EQ(::fstat(ls.get(), &st), 0);
  auto e = cache.facts(fd_of(ls.get()), st);
  ASSERT_TRUE(e.ok()) << e.error().str();
  EXPECT_TRUE(e->elf.is_elf);
  EXPECT_FALSE(e->shebang.has_value());
}

TEST(VerifyFacts, TheKeyDecides) {
  // Asked about b with a's key, the cache answers for a: what it computed once is reused.
  internal::TempDir dir;
  LocalExaminer examiner;
  FactsCache cache(examiner);
  File a(dir, "a", "#!/bin/a\n"), b(dir, "b", "#!/bin/b\n");
  EXPECT_EQ(cache.facts(fd_of(a.fd.get()), a.st)->shebang->interpreter, "/bin/a");
  EXPECT_EQ(cache.facts(fd_of(b.fd.get()), a.st)->shebang->interpreter, "/bin/a");
  File abc(dir, "abc", "abc"), empty(dir, "empty", "");
  EXPECT_EQ(sha256(cache, abc), kAbc);
  EXPECT_EQ(cache.digest(fd_of(empty.fd.get()), abc.st, DigestAlgo::sha256).value(), kAbc);
  // Each algorithm is its own computation: this one reads the empty file behind the key.
  EXPECT_EQ(cache.digest(fd_of(empty.fd.get()), abc.st, DigestAlgo::sha512).value().substr(0, 16), "cf83e1357eefb8bd");
  // What is cached is answered without asking for an fd to read.
  int asked = 0;
  FactsCache::Readable unreadable = [&]() -> Result<int> { return asked++, Error(EACCES, "not to be opened"); };
  EXPECT_EQ(cache.facts(unreadable, a.st)->shebang->interpreter, "/bin/a");
  EXPECT_EQ(cache.digest(unreadable, abc.st, DigestAlgo::sha256).value(), kAbc);
  EXPECT_EQ(asked, 0);
  EXPECT_FALSE(cache.facts(unreadable, File(dir, "c", "#!/bin/c\n").st).ok());
  EXPECT_EQ(asked, 1);
}

TEST(VerifyFacts, AChangedFileIsAnotherKey) {
  internal::TempDir dir;
  LocalExaminer examiner;
  FactsCache cache(examiner);
  File f(dir, "f", "abc");
  EXPECT_EQ(sha256(cache, f), kAbc);
  // Rewritten in place, same size: its ctime changes, and its mtime is moved for certain
  // (timestamps are coarse).
  dir.write("f", "ABC");
  timespec times[2] = {{0, UTIME_OMIT}, {1000000, 0}};
  ASSERT_EQ(::futimens(f.fd.get(), times), 0);
  struct stat now;
  ASSERT_EQ(::fstat(f.fd.get(), &now), 0);
  EXPECT_FALSE(file_key(now) == file_key(f.st));
  EXPECT_EQ(cache.digest(fd_of(f.fd.get()), now, DigestAlgo::sha256).value(),
            file_digest(f.fd.get(), DigestAlgo::sha256).value());
  EXPECT_NE(cache.digest(fd_of(f.fd.get()), now, DigestAlgo::sha256).value(), kAbc);
  EXPECT_EQ(cache.digest(fd_of(f.fd.get()), f.st, DigestAlgo::sha256).value(), kAbc);  // the old version's entry
}

TEST(VerifyFacts, EvictsTheLeastRecentlyUsed) {
  internal::TempDir dir;
  LocalExaminer examiner;
  FactsCache cache(examiner, 2);
  File one(dir, "1", "abc"), two(dir, "2", "abc"), three(dir, "3", "abc"), empty(dir, "e", "");
  sha256(cache, one);
  sha256(cache, two);
  sha256(cache, one);    // one is now the most recent
  sha256(cache, three);  // evicts two
  // With another file's content behind the key, a cached entry answers kAbc, a new one kEmpty.
  EXPECT_EQ(cache.digest(fd_of(empty.fd.get()), one.st, DigestAlgo::sha256).value(), kAbc);
  EXPECT_EQ(cache.digest(fd_of(empty.fd.get()), three.st, DigestAlgo::sha256).value(), kAbc);
  EXPECT_EQ(cache.digest(fd_of(empty.fd.get()), two.st, DigestAlgo::sha256).value(), kEmpty);
}

TEST(VerifyFacts, SharedByThreads) {
  internal::TempDir dir;
  LocalExaminer examiner;
  FactsCache cache(examiner, 3);
  std::vector<File> files;
  files.reserve(5);
  for (int i = 0; i < 5; i++) files.emplace_back(dir, std::to_string(i), i % 2 ? "abc" : "#!/bin/sh\n");
  std::vector<std::thread> threads;
  std::atomic<int> wrong = 0;
  for (int t = 0; t < 8; t++) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; i++) {
        const File& f = files[size_t(t + i) % files.size()];
        auto facts = cache.facts(fd_of(f.fd.get()), f.st);
        auto digest = cache.digest(fd_of(f.fd.get()), f.st, DigestAlgo::sha256);
        bool script = (&f - files.data()) % 2 == 0;
        if (!facts.ok() || facts->shebang.has_value() != script || !digest.ok() || (!script && *digest != kAbc))
          wrong++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong, 0);
}

TEST(VerifyFacts, ErrorsAreReturned) {
  internal::TempDir dir;
  LocalExaminer examiner;
  FactsCache cache(examiner);
  // An ELF64 header and nothing else: e_phnum 0, which the kernel would not run.
  File headerless(dir, "h", std::string("\x7f" "ELF\x02\x01\x01", 7) + std::string(57, '\0'));
  auto r = cache.facts(fd_of(headerless.fd.get()), headerless.st);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), EINVAL);
}

}  // namespace
}  // namespace vigil::verify
