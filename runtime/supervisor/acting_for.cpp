#include "runtime/supervisor/acting_for.hpp"

#include <fcntl.h>

#include <climits>

#include "runtime/supervisor/respond.hpp"
#include "runtime/supervisor/tracee_files.hpp"
#include "runtime/supervisor/tracee_memory.hpp"

namespace vigil::supervisor {
namespace {

using policy::Access;
using policy::Action;

// The pid at `depth` (1: the outermost) of a status field's pids ("NSpid"), "" when it has fewer.
std::string pid_at(std::string_view status, std::string_view name, size_t depth) {
  auto pids = status_numbers(status, name);
  return depth >= 1 && depth <= pids.size() ? std::to_string(pids[depth - 1]) : "";
}

}  // namespace

std::optional<Process> gather(const JudgeContext& c, const Notified& who, int dirfd, uint64_t path_addr, std::string& path) {
  PathsJudge& pj = *c.paths;
  Process p;
  // Opened and read before the path is read: the check after reading it proves these were its.
  auto root = open_proc_dir(who, "root", true);
  auto status = read_proc_file(who.pid, "status");
  if (!root || !status) return fail_as_kernel(who, ENOENT), std::nullopt;
  p.root = std::move(*root);
  auto read = read_string(who.listener, who.id, who.pid, path_addr, PATH_MAX);
  if (!read) {
    int err = read.error().code();
    return fail_as_kernel(who, err == ENOENT || err == ENAMETOOLONG ? err : EFAULT), std::nullopt;
  }
  path = std::move(*read);
  if (path.empty()) return fail_as_kernel(who, ENOENT), std::nullopt;
  if (path[0] != '/') {
    auto base = dirfd == AT_FDCWD ? open_proc_dir(who, "cwd") : take_fd(who, dirfd);
    if (!base) return fail_as_kernel(who, dirfd == AT_FDCWD ? ENOENT : EBADF), std::nullopt;
    p.base = std::move(*base);
  }
  pj.learn(who.pid, p.root.get());
  auto identity = parse_identity(*status, pj.host_userns());
  if (!identity) return fail_as_kernel(who, EACCES), std::nullopt;
  p.identity = std::move(*identity);
  // As the container's /proc names it (a pid namespace the process made below the
  // container's has no /proc of its own: mounts are refused under path rules).
  p.tgid = pid_at(*status, "NStgid", pj.pid_depth());
  p.tid = pid_at(*status, "NSpid", pj.pid_depth());
  p.protected_symlinks = pj.protected_symlinks();
  return p;
}

Word decide(const PathsJudge& pj, const std::string& path, const struct stat* st, policy::AccessSet accesses) {
  Word w;
  for (size_t i = 0; i < policy::kAccessCount; i++) {
    if (!(accesses & policy::bit(Access(i)))) continue;
    auto m = pj.policy().match(Access(i), path);
    std::string detail(policy::access_name(Access(i)));
    if (st)
      if (auto id = pj.by_identity(*st, Access(i)); id && id->action > m.action) {
        m = *id;
        detail += ", of the file " + m.rule + " names";
      }
    if (w.rule.empty() || m.action > w.action) w = {m.action, m.rule, detail};
  }
  return w;
}

bool refused(const JudgeContext& c, const Notified& who, const std::string& syscall, const std::string& path, const Word& w) {
  if (w.action == Action::allow) return false;
  c.audit.record({who.pid, syscall, path, w.rule, std::string(policy::action_name(w.action)), w.detail});
  if (w.action == Action::warn) return false;
  if (w.action == Action::kill) kill_notified(who);
  reply(respond_errno(who.listener, who.id, EACCES));
  return true;
}

}  // namespace vigil::supervisor
