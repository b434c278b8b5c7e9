// execve/execveat: the program is looked up as the kernel will (in the process's root, from
// its cwd or dirfd), opened by the supervisor and checked on that open file; a #! script's
// interpreters and an ELF program's loader too, under the exec section and, where the
// supervisor holds it, the paths section's exec access. What passed is what the exec stop
// (exec_stop.hpp) makes sure the kernel mapped.
#include <fcntl.h>

#include <climits>
#include <optional>

#include "runtime/base/log.hpp"
#include "runtime/supervisor/acting_for.hpp"
#include "runtime/supervisor/exec_stop.hpp"
#include "runtime/supervisor/in_root.hpp"
#include "runtime/supervisor/judge.hpp"
#include "runtime/supervisor/respond.hpp"
#include "runtime/supervisor/tracee_memory.hpp"

namespace vigil::supervisor {
namespace {

// The kernel follows at most this many #! interpreters (BINPRM_MAX_RECURSION).
constexpr int kMaxInterpreters = 4;

struct ExecCall {
  std::string syscall;
  int dirfd = AT_FDCWD;
  std::string path;
  int flags = 0;
};

// A name replaced while it was looked up is looked up again; one that keeps changing (a
// rename race) is refused, as the file judged could not be told to be the one named.
Result<verify::OpenFile> open_settled(const InRoot& in, int base, const std::string& path, bool nofollow, bool want_dir) {
  for (int tries = 1;; tries++) {
    auto f = in.open(base, path, nofollow, want_dir);
    if (f || f.error().code() != EAGAIN || tries == 3) return f;
  }
}

// A lookup that failed fails the exec as the kernel's would, a rename race with EACCES.
void lookup_failed(const JudgeContext& c, const Notified& who, const std::string& syscall, const std::string& path,
                   const Error& e) {
  if (e.code() != EAGAIN) return fail_as_kernel(who, e.code());
  answer(c, who, syscall, {policy::Action::deny, "exec.image", "replaced again and again while it was checked", path});
}

// The paths section's word on running `f` (a program, an interpreter, a loader: what the
// kernel opens for the exec), where its exec is the supervisor's to judge.
bool paths_allow(const JudgeContext& c, const Notified& who, const std::string& syscall, const verify::OpenFile& f) {
  if (!c.paths || !(c.paths->judged() & policy::bit(policy::Access::exec))) return true;
  return !refused(c, who, syscall, f.path, decide(*c.paths, f.path, &f.st, policy::bit(policy::Access::exec)));
}

// Looks `path` up from `base` and checks it.
bool admit_path(const JudgeContext& c, const Notified& who, const std::string& syscall, const InRoot& in, int base,
                const std::string& path, verify::Role role, verify::OpenFile& out, verify::Facts& facts) {
  auto f = open_settled(in, base, path, false, c.policy.needs_dir());
  if (!f) return lookup_failed(c, who, syscall, path, f.error()), false;
  if (!admit(c, who, syscall, *f, role, &facts) || !paths_allow(c, who, syscall, *f)) return false;
  out = std::move(*f);
  return true;
}

}  // namespace

std::optional<ExpectedImage> judge_exec(const JudgeContext& c, const Notified& who, const seccomp_notif& n, bool at) {
  ExecCall call{at ? "execveat" : "execve", at ? int(n.data.args[0]) : AT_FDCWD, "", at ? int(n.data.args[4]) : 0};
  // The root is told first: the check after reading the path proves both were the process's.
  auto root = root_of(who.pid);
  if (!root) return fail_as_kernel(who, ENOENT), std::nullopt;
  auto path = read_string(who.listener, who.id, who.pid, at ? n.data.args[1] : n.data.args[0], PATH_MAX);
  if (!path) return fail_as_kernel(who, path.error().code() == ENOENT ? ENOENT : EFAULT), std::nullopt;
  call.path = *path;
  if (call.path.empty() && !(call.flags & AT_EMPTY_PATH)) return fail_as_kernel(who, ENOENT), std::nullopt;

  unique_fd dirfd;
  if (call.dirfd != AT_FDCWD && (call.path.empty() || call.path[0] != '/')) {
    auto fd = take_fd(who, call.dirfd);
    if (!fd) return fail_as_kernel(who, EBADF), std::nullopt;
    dirfd = std::move(*fd);
  }
  auto in = InRoot::enter(*root, who.pid);
  if (!in) return fail_as_kernel(who, EACCES), std::nullopt;
  // Relative paths start at the process's cwd: opened only for one (the kernel's lookups of
  // a #! interpreter and of the loader start there too).
  unique_fd cwd;
  auto base_for = [&](const std::string& path, int given) -> int {
    if (!path.empty() && path[0] == '/') return AT_FDCWD;
    if (given >= 0) return given;
    if (!cwd) {
      auto fd = open_proc_dir(who, "cwd");
      if (fd) cwd = std::move(*fd);
    }
    return cwd ? cwd.get() : AT_FDCWD;
  };

  // fexecve runs the fd itself, perhaps a memfd or a deleted file.
  auto f = call.path.empty() ? in->adopt(std::move(dirfd), c.policy.needs_dir())
                             : open_settled(*in, base_for(call.path, dirfd ? dirfd.get() : -1), call.path,
                                            call.flags & AT_SYMLINK_NOFOLLOW, c.policy.needs_dir());
  if (!f) return lookup_failed(c, who, call.syscall, call.path, f.error()), std::nullopt;
  verify::Facts facts;
  if (!admit(c, who, call.syscall, *f, verify::Role::program, &facts) || !paths_allow(c, who, call.syscall, *f))
    return std::nullopt;
  verify::OpenFile file = std::move(*f);
  const std::string asked = file.path;

  // A script runs its interpreter (which may be a script too), looked up from the cwd.
  for (int depth = 0; !facts.elf.is_elf; depth++) {
    if (depth == kMaxInterpreters || !facts.shebang) return fail_as_kernel(who, ELOOP), std::nullopt;
    std::string interp = facts.shebang->interpreter;
    if (!admit_path(c, who, call.syscall, *in, base_for(interp, -1), interp, verify::Role::program, file, facts)) return std::nullopt;
  }
  ExpectedImage image{asked, verify::file_key(file.st), {verify::file_key(file.st)}};
  if (facts.elf.has_interp) {
    verify::OpenFile loader;
    verify::Facts loader_facts;
    if (!admit_path(c, who, call.syscall, *in, base_for(facts.elf.interp, -1), facts.elf.interp, verify::Role::library, loader, loader_facts)) return std::nullopt;
    image.mapped.push_back(verify::file_key(loader.st));
  }
  log_debug("supervisor: pid " + std::to_string(who.pid) + " " + call.syscall + " " + call.path +
            (call.path == asked ? "" : " (" + asked + ")") + ": allowed");
  return image;
}

}  // namespace vigil::supervisor
