// What verification learns of a file, computed once per version of it: ELF facts, the `#!`
// line and digests, cached by (device, inode, size, mtime, ctime). A write changes mtime
// and ctime, so a changed file is never judged by an old entry. One cache per supervised
// container, bounded, shared by the supervisor's threads; what it does not hold it asks of
// its examiner.
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "runtime/base/error.hpp"
#include "runtime/verify/examiner.hpp"

namespace vigil::verify {

struct FileKey {
  dev_t dev = 0;
  ino_t ino = 0;
  off_t size = 0;
  timespec mtime{}, ctime{};
  bool operator==(const FileKey& o) const;
};
FileKey file_key(const struct stat& st);

class FactsCache {
 public:
  explicit FactsCache(Examiner& examiner, size_t max_entries = 4096);
  // Of the file `st` is the fstat of; `readable` gives an fd of it open for reading, asked
  // only when the answer is not cached.
  using Readable = std::function<Result<int>()>;
  Result<Facts> facts(const Readable& readable, const struct stat& st);
  Result<std::string> digest(const Readable& readable, const struct stat& st, DigestAlgo algo);

 private:
  struct Entry;
  struct KeyHash {
    size_t operator()(const FileKey& k) const;
  };
  Entry& entry(const FileKey& k);  // with mu_ held; evicts the least recently used when full

  Examiner& examiner_;
  size_t max_;
  std::mutex mu_;
  std::list<FileKey> lru_;  // most recent first
  struct Entry {
    std::list<FileKey>::iterator pos;
    std::optional<Facts> facts;
    std::map<DigestAlgo, std::string> digests;
  };
  std::unordered_map<FileKey, Entry, KeyHash> entries_;
};

}  // namespace vigil::verify
