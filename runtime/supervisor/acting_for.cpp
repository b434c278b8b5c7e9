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

// `path` as the directory that holds its last component, and that component ("a/b/" →
// "a", "b"; "b" → ".", "b"; "/" → "/", ".").
std::pair<std::string, std::string> split_last(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return {".", path};
  if (path == "/") return {"/", "."};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

// The process's root and its status, unproven until the caller's next step that checks the
// notification.
std::optional<Process> open_root(const JudgeContext& c, const Notified& who, std::string& status) {
  auto root = root_of(who.pid);
  auto read = c.paths->status_files().read(who.pid);
  if (!root || !read) return fail_as_kernel(who, ENOENT), std::nullopt;
  status = std::move(*read);
  Process p;
  p.root = *root;
  return p;
}

// The rest, once proven: its identity and pids.
bool complete(const JudgeContext& c, const Notified& who, Process& p, std::string_view status) {
  PathsJudge& pj = *c.paths;
  pj.learn(who.pid);
  auto identity = parse_identity(status, pj.host_userns());
  if (!identity) return fail_as_kernel(who, EACCES), false;
  p.identity = std::move(*identity);
  // A namespace the process made below the container's maps other ids: none of them count.
  if (p.identity.userns_capabilities && !pj.in_container_userns(who.pid)) p.identity.userns_capabilities = 0;
  // As the container's /proc names it (a pid namespace the process made below the
  // container's has no /proc of its own: mounts are refused under path rules).
  p.tgid = pid_at(status, "NStgid", pj.pid_depth());
  p.tid = pid_at(status, "NSpid", pj.pid_depth());
  p.protected_symlinks = pj.protected_symlinks();
  return true;
}

}  // namespace

bool read_name(const Notified& who, uint64_t addr, std::string& name) {
  auto read = read_string(who.listener, who.id, who.pid, addr, PATH_MAX);
  if (!read) {
    int err = read.error().code();
    return fail_as_kernel(who, err == ENOENT || err == ENAMETOOLONG ? err : EFAULT), false;
  }
  name = std::move(*read);
  if (name.empty()) return fail_as_kernel(who, ENOENT), false;
  return true;
}

bool take_dirfd(const Notified& who, int dirfd, unique_fd& base) {
  auto b = dirfd == AT_FDCWD ? open_proc_dir(who, "cwd") : take_fd(who, dirfd);
  if (!b) return fail_as_kernel(who, dirfd == AT_FDCWD ? ENOENT : EBADF), false;
  base = std::move(*b);
  return true;
}

bool read_path(const Notified& who, int dirfd, uint64_t path_addr, std::string& path, unique_fd& base) {
  return read_name(who, path_addr, path) && (path[0] == '/' || take_dirfd(who, dirfd, base));
}

std::optional<Process> gather(const JudgeContext& c, const Notified& who, int dirfd, uint64_t path_addr, std::string& path) {
  // The root and status, opened and read before the path is read: the check after reading
  // it proves they were the process's.
  std::string status;
  auto p = open_root(c, who, status);
  if (!p || !read_path(who, dirfd, path_addr, path, p->base) || !complete(c, who, *p, status)) return std::nullopt;
  return p;
}

std::optional<Process> gather_fd(const JudgeContext& c, const Notified& who, int fd) {
  std::string status;
  auto p = open_root(c, who, status);
  if (!p) return std::nullopt;
  // Taking the fd proves the root and status too.
  if (!take_dirfd(who, fd, p->base) || !complete(c, who, *p, status)) return std::nullopt;
  return p;
}

std::optional<Acting> act_for(const JudgeContext& c, const Notified& who, const Process& p) {
  auto in = InRoot::enter(p.root, who.pid);
  if (!in) return fail_as_kernel(who, EACCES), std::nullopt;
  auto as = ActingAs::take(p.identity);
  if (!as) return fail_as_kernel(who, EACCES), std::nullopt;
  return Acting{std::move(*in), std::move(*as), c.paths, p.identity.userns_capabilities != 0};
}

bool Acting::over(std::initializer_list<int> fds, std::initializer_list<const struct stat*> files) {
  if (!varies) return true;
  bool mapped = true;
  for (const struct stat* st : files) mapped = mapped && st && pj->maps(*st);
  for (int fd : fds) {
    struct stat st;
    mapped = mapped && ::fstat(fd, &st) == 0 && pj->maps(st);
  }
  return as.over(mapped).ok();
}

WalkFrom Acting::walking(WalkFrom from) {
  if (varies) from.searching = [this](int dir) { return over({dir}); };
  return from;
}

std::optional<Located> locate_file(const Notified& who, Acting& acting, const WalkFrom& from, const std::string& path,
                                   bool follow) {
  const InRoot& in = acting.in;
  auto w = walk_path(acting.walking(from), path, follow);
  if (!w) return fail_as_kernel(who, w.error().code()), std::nullopt;
  if (!w->fd) return fail_as_kernel(who, ENOENT), std::nullopt;
  Located out{std::move(w->fd), std::move(w->path), w->st};
  if (!out.judged.empty()) return out;
  auto judged = in.path_of(out.fd.get());
  if (!judged) return fail_as_kernel(who, EACCES), std::nullopt;
  out.judged = std::move(*judged);
  return out;
}

std::optional<Located> locate_fd(const Notified& who, const InRoot& in, const unique_fd& fd) {
  Located out{unique_fd(::fcntl(fd.get(), F_DUPFD_CLOEXEC, 0)), {}, {}};
  if (!out.fd) return fail_as_kernel(who, errno), std::nullopt;
  if (::fstat(out.fd.get(), &out.st) < 0) return fail_as_kernel(who, errno), std::nullopt;
  auto judged = in.path_of(out.fd.get());
  if (!judged) return fail_as_kernel(who, EACCES), std::nullopt;
  out.judged = std::move(*judged);
  return out;
}

std::optional<OnFile> on_file(const JudgeContext& c, const Notified& who, int fd, uint64_t path_addr, bool follow) {
  std::string path;
  auto p = path_addr ? gather(c, who, fd, path_addr, path) : gather_fd(c, who, fd);
  if (!p) return std::nullopt;
  auto acting = act_for(c, who, *p);
  if (!acting) return std::nullopt;
  auto f = path_addr ? locate_file(who, *acting, p->from(), path, follow) : locate_fd(who, acting->in, p->base);
  if (!f) return std::nullopt;
  return OnFile{std::move(*p), std::move(*acting), std::move(*f)};
}

bool empty_path(const Notified& who, uint64_t path_addr) {
  auto s = read_string(who.listener, who.id, who.pid, path_addr, 1);
  return s && s->empty();
}

std::optional<Entry> locate_entry(const Notified& who, Acting& acting, const WalkFrom& from, const std::string& path) {
  const InRoot& in = acting.in;
  auto [dir, name] = split_last(path);
  auto walked = walk_path(acting.walking(from), dir, true);
  if (!walked) return fail_as_kernel(who, walked.error().code()), std::nullopt;
  if (!walked->fd) return fail_as_kernel(who, ENOENT), std::nullopt;
  Entry out{std::move(walked->fd), std::move(name), {}, std::nullopt};
  struct stat st;
  if (::fstatat(out.dir.get(), out.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) out.st = st;
  else if (errno != ENOENT) return fail_as_kernel(who, errno), std::nullopt;
  auto where = in.path_of(out.dir.get());
  if (!where) return fail_as_kernel(who, EACCES), std::nullopt;
  out.judged = (*where == "/" ? "" : *where) + "/" + out.name;
  return out;
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
    if (w.rule.empty() || m.action > w.action) w = {m.action, m.rule, detail, accesses};
  }
  return w;
}

bool refused(const JudgeContext& c, const Notified& who, const std::string& syscall, const std::string& path, Word w) {
  if (c.learner) {
    c.learner->touched(who.pid, syscall, path, w.accesses);
    policy::as_learned(w.action, w.detail);
  }
  if (w.action == Action::allow) return false;
  audit(c, {who.pid, syscall, path, w.rule, std::string(policy::action_name(w.action)), w.detail});
  if (w.action == Action::warn) return false;
  if (w.action == Action::kill) kill_notified(who);
  reply(respond_errno(who.listener, who.id, EACCES));
  return true;
}

bool refused(const JudgeContext& c, const Notified& who, const std::string& syscall, const Located& f, policy::Access a) {
  return f.judged.starts_with("/") && refused(c, who, syscall, f.judged, decide(*c.paths, f.judged, &f.st, policy::bit(a)));
}

}  // namespace vigil::supervisor
