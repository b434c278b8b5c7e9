// The audit logs of containers that learned, kept when they are deleted: podman and
// containerd delete a container as soon as it exits, and `vigil policy suggest ID` must still
// find what it learnt. <root>/:learned/ID.log (':' is in no container id), the newest
// kLearnedLogs of them; on a tmpfs root like /run/vigil they last until the host restarts.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "runtime/base/file.hpp"
#include "runtime/base/log.hpp"
#include "runtime/container/container.hpp"
#include "runtime/container/store.hpp"

namespace vigil {
namespace {

constexpr size_t kLearnedLogs = 64;

std::string learned_dir(const std::string& root) { return root + "/:learned"; }

// Only the newest kLearnedLogs stay.
void prune(const std::string& dir) {
  std::vector<std::pair<timespec, std::string>> logs;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      struct stat st;
      std::string name = e->d_name;
      if (name.ends_with(".log") && ::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        logs.emplace_back(st.st_mtim, name);
    }
    ::closedir(d);
  }
  if (logs.size() <= kLearnedLogs) return;
  std::sort(logs.begin(), logs.end(), [](const auto& a, const auto& b) {
    return a.first.tv_sec != b.first.tv_sec ? a.first.tv_sec > b.first.tv_sec : a.first.tv_nsec > b.first.tv_nsec;
  });
  for (size_t i = kLearnedLogs; i < logs.size(); i++) ::unlink((dir + "/" + logs[i].second).c_str());
}

}  // namespace

void keep_learned_log(const ContainerDir& dir, const std::string& root) {
  auto text = read_file(dir.policy_path());
  auto p = text ? policy::parse_policy(*text, dir.policy_path()) : Result<policy::Policy>(text.error());
  if (!p || !p->learn()) return;
  const std::string kept = learned_dir(root);
  if (::mkdir(kept.c_str(), 0700) < 0 && errno != EEXIST) return log_warn(Error::from_errno("mkdir " + kept).str());
  if (::rename(dir.audit_path().c_str(), (kept + "/" + dir.id() + ".log").c_str()) < 0) {
    if (errno != ENOENT) log_warn(Error::from_errno("keep the learn log of " + dir.id()).str());
    return;
  }
  prune(kept);
}

Result<std::string> learned_log(const std::string& root, const std::string& id) {
  return read_file(learned_dir(root) + "/" + id + ".log");
}

}  // namespace vigil
