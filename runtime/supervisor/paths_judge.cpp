#include "runtime/supervisor/paths_judge.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime/base/unique_fd.hpp"
#include "runtime/policy/paths_plan.hpp"
#include "runtime/supervisor/tracee_files.hpp"

namespace vigil::supervisor {

void PathsJudge::learn(pid_t pid) {
  if (learned_) return;
  learned_ = true;
  unique_fd root(::openat(host_proc(), (std::to_string(pid) + "/root").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  struct stat own, theirs;
  bool known = ::fstatat(host_proc(), (std::to_string(pid) + "/ns/user").c_str(), &theirs, 0) == 0;
  host_userns_ = known && ::fstatat(host_proc(), "self/ns/user", &own, 0) == 0 && own.st_ino == theirs.st_ino &&
                 own.st_dev == theirs.st_dev;
  if (known && !host_userns_) {
    userns_dev_ = theirs.st_dev;
    userns_ino_ = theirs.st_ino;
    uids_ = parse_uid_map(read_proc_file(pid, "uid_map").value_or(""));
    gids_ = parse_uid_map(read_proc_file(pid, "gid_map").value_or(""));
  }
  char on = '1';
  if (unique_fd sysctl(::openat(host_proc(), "sys/fs/protected_symlinks", O_RDONLY | O_CLOEXEC)); sysctl)
    (void)!::read(sysctl.get(), &on, 1);
  protected_symlinks_ = on != '0';
  const auto& rules = policy_.rules;
  for (size_t i = 0; i < rules.size(); i++) {
    if (rules[i].action == policy::Action::allow) continue;
    auto target = policy::landlock_target(rules[i].path);
    if (!target || target->tree) continue;
    open_how how{};
    how.flags = O_PATH | O_CLOEXEC;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    unique_fd fd(int(::syscall(SYS_openat2, root.get(), target->path.c_str(), &how, sizeof how)));
    struct stat st;
    if (fd && ::fstat(fd.get(), &st) == 0) identities_[{st.st_dev, st.st_ino}] = i;
  }
}

bool PathsJudge::maps(const struct stat& st) const {
  return host_userns_ || (uids_.container_uid(st.st_uid) && gids_.container_uid(st.st_gid));
}

bool PathsJudge::in_container_userns(pid_t pid) const {
  struct stat theirs;
  return ::fstatat(host_proc(), (std::to_string(pid) + "/ns/user").c_str(), &theirs, 0) == 0 && theirs.st_dev == userns_dev_ &&
         theirs.st_ino == userns_ino_;
}

std::optional<policy::PathsPolicy::Match> PathsJudge::by_identity(const struct stat& st, policy::Access a) const {
  auto it = identities_.find({st.st_dev, st.st_ino});
  if (it == identities_.end() || !(policy_.rules[it->second].accesses & policy::bit(a))) return std::nullopt;
  return policy::PathsPolicy::Match{policy_.rules[it->second].action, policy::paths_rule_name(it->second)};
}

}  // namespace vigil::supervisor
