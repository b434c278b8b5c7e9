#include "runtime/verify/file_facts.hpp"

#include <cstdint>
#include <functional>

namespace vigil::verify {

bool FileKey::operator==(const FileKey& o) const {
  return dev == o.dev && ino == o.ino && size == o.size && mtime.tv_sec == o.mtime.tv_sec &&
         mtime.tv_nsec == o.mtime.tv_nsec && ctime.tv_sec == o.ctime.tv_sec && ctime.tv_nsec == o.ctime.tv_nsec;
}

FileKey file_key(const struct stat& st) {
  return {.dev = st.st_dev, .ino = st.st_ino, .size = st.st_size, .mtime = st.st_mtim, .ctime = st.st_ctim};
}

size_t FactsCache::KeyHash::operator()(const FileKey& k) const {
  size_t h = 0;
  for (uint64_t v : {uint64_t(k.dev), uint64_t(k.ino), uint64_t(k.size), uint64_t(k.mtime.tv_sec),
                     uint64_t(k.mtime.tv_nsec), uint64_t(k.ctime.tv_sec), uint64_t(k.ctime.tv_nsec)})
    h ^= std::hash<uint64_t>{}(v) + 0x9e3779b97f4a7c15 + (h << 6) + (h >> 2);
  return h;
}

FactsCache::FactsCache(Examiner& examiner, size_t max_entries)
    : examiner_(examiner), max_(max_entries > 0 ? max_entries : 1) {}

FactsCache::Entry& FactsCache::entry(const FileKey& k) {
  if (auto it = entries_.find(k); it != entries_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second.pos);
    return it->second;
  }
  if (entries_.size() >= max_) {
    entries_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(k);
  Entry& e = entries_[k];
  e.pos = lru_.begin();
  return e;
}

// The lock is held only to look up and to store: reading and hashing a big file must not
// stall the supervisor's other threads. Two threads may compute the same entry; both get
// the same answer.
Result<Facts> FactsCache::facts(const Readable& readable, const struct stat& st) {
  FileKey k = file_key(st);
  {
    std::lock_guard lock(mu_);
    if (const auto& cached = entry(k).facts) return *cached;
  }
  Facts f = TRY(examiner_.facts(TRY(readable())));
  std::lock_guard lock(mu_);
  entry(k).facts = f;
  return f;
}

Result<std::string> FactsCache::digest(const Readable& readable, const struct stat& st, DigestAlgo algo) {
  FileKey k = file_key(st);
  {
    std::lock_guard lock(mu_);
    const auto& digests = entry(k).digests;
    if (auto it = digests.find(algo); it != digests.end()) return it->second;
  }
  std::string hex = TRY(examiner_.digest(TRY(readable()), algo));
  std::lock_guard lock(mu_);
  entry(k).digests[algo] = hex;
  return hex;
}

}  // namespace vigil::verify
