// vigil policy suggest, the container's side: the learn lines of its audit log, and what the
// suggestion needs to know of its rootfs (how many programs a directory holds, whether a
// file exists), looked up inside it as hostile paths are.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <memory>

#include "runtime/base/file.hpp"
#include "runtime/container/container.hpp"
#include "runtime/container/handle.hpp"
#include "runtime/rootfs/resolve.hpp"

namespace vigil {
namespace {

// Directories past this many entries are not counted: "unknown".
constexpr size_t kMaxEntries = 100000;

std::optional<size_t> count_programs(int root, const std::string& dir) {
  auto fd = open_in_root(root, dir, O_RDONLY | O_DIRECTORY);
  if (!fd) return std::nullopt;
  DIR* d = ::fdopendir(fd->get());
  if (!d) return std::nullopt;
  int dfd = fd->release();
  std::unique_ptr<DIR, int (*)(DIR*)> owned(d, ::closedir);
  size_t programs = 0, seen = 0;
  while (dirent* e = ::readdir(d)) {
    if (++seen > kMaxEntries) return std::nullopt;
    struct stat st;
    if (::fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111)) programs++;
  }
  return programs;
}

}  // namespace

Result<SuggestInput> suggest_input(const std::string& root, const std::string& id) {
  auto opened = Container::open(root, id, false);
  if (!opened && opened.error().code() == ENOENT) {
    // Deleted: what it learnt was kept.
    auto kept = learned_log(root, id);
    if (!kept) return std::move(opened).error();
    return SuggestInput{std::move(*kept), ""};
  }
  if (!opened) return std::move(opened).error();
  auto log = read_file(opened->dir.audit_path());
  if (!log) return Error(ENOENT, "container " + id + " has no audit log: it was not supervised");
  return SuggestInput{*log, opened->state.rootfs};
}

Status with_rootfs(policy::SuggestOptions& o, const std::string& rootfs) {
  auto fd = TRY(open_fd(rootfs, O_PATH | O_DIRECTORY));
  auto root = std::make_shared<unique_fd>(std::move(fd));
  o.programs_in = [root](const std::string& dir) { return count_programs(root->get(), dir); };
  o.exists = [root](const std::string& path) -> std::optional<bool> {
    auto f = open_in_root(root->get(), path, O_PATH);
    if (f) return true;
    if (f.error().code() == ENOENT) return false;
    return std::nullopt;
  };
  return {};
}

}  // namespace vigil
