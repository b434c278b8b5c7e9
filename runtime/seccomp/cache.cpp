#include "runtime/seccomp/cache.hpp"

#include <seccomp.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "runtime/base/file.hpp"
#include "runtime/seccomp/filter.hpp"

namespace vigil::seccomp {
namespace {

constexpr size_t kMaxEntries = 64;
// Raised whenever build_filter compiles the same profile differently (2: the ENOSYS stub), so
// that entries of an older vigil of the same version miss.
constexpr int kCompilerRevision = 2;

// Everything the compiled program depends on.
std::string cache_key(const nlohmann::json& raw) {
  utsname u{};
  ::uname(&u);
  const auto* v = seccomp_version();
  return std::string("vigil ") + VIGIL_VERSION + " " + std::to_string(kCompilerRevision) + "\nlibseccomp " + std::to_string(v->major) + "." +
         std::to_string(v->minor) + "." + std::to_string(v->micro) + "\nkernel " + u.release + " " + u.machine +
         "\n" + raw.dump() + "\n";
}

std::string file_name(const std::string& key) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a: an index only, the key is compared in full
  for (unsigned char c : key) h = (h ^ c) * 1099511628211ull;
  char name[32];
  std::snprintf(name, sizeof name, "%016llx", static_cast<unsigned long long>(h));
  return name;
}

// Keeps the cache bounded: the oldest entries go first.
void evict(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> entries;
  for (const auto& e : fs::directory_iterator(dir, ec)) entries.emplace_back(e.last_write_time(ec), e.path());
  if (entries.size() < kMaxEntries) return;
  std::sort(entries.begin(), entries.end());
  for (size_t i = 0; i + kMaxEntries <= entries.size(); i++) fs::remove(entries[i].second, ec);
}

}  // namespace

Result<Program> compile_cached(const Profile& p, const nlohmann::json& raw, const std::string& cache_dir,
                               std::vector<std::string>* debug) {
  std::string key = cache_key(raw);
  std::string path = cache_dir + "/" + file_name(key);
  if (auto entry = read_file(path); entry && entry->size() > key.size() && entry->compare(0, key.size(), key) == 0)
    if (auto program = Program::decode(std::string_view(*entry).substr(key.size()))) return program;
  auto filter = TRY(build_filter(p, debug));
  Program program = filter.compiled();
  if (::mkdir(cache_dir.c_str(), 0700) == 0 || errno == EEXIST) {
    evict(cache_dir);
    (void)write_file_atomic(path, key + program.encode(), 0600);
  }
  return program;
}

}  // namespace vigil::seccomp
