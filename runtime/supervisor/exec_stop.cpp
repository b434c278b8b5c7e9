#include "runtime/supervisor/exec_stop.hpp"

#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include <algorithm>
#include <csignal>

#include "runtime/base/log.hpp"
#include "runtime/supervisor/judge.hpp"
#include "runtime/supervisor/proc_maps.hpp"
#include "runtime/supervisor/respond.hpp"

namespace vigil::supervisor {
namespace {

// No fork or clone event: children are not traced.
constexpr long kOptions = PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;

void warn_ptrace(const char* what, pid_t pid) {
  // ESRCH: killed meanwhile; its exit comes next.
  if (errno != ESRCH) log_warn(std::string("supervisor: ptrace ") + what + " pid " + std::to_string(pid) + ": " + std::to_string(errno));
}

// A debugger's tracee: no exec stop can be had.
void debugged(const JudgeContext& c, const Notified& who, const ExpectedImage& image) {
  auto tracer = status_field(who.pid, "TracerPid");
  pid_t by = tracer ? pid_t(std::atoi(tracer->c_str())) : 0;
  if (by == 0) {
    c.audit.record({who.pid, "execve", image.path, "exec.image", "deny", "cannot be traced for its exec stop"});
    (void)respond_errno(who.listener, who.id, EPERM);
    return;
  }
  std::string whose = "traced by " + describe_process(by);
  bool allowed = c.policy.allow_debuggers || c.policy.learn;
  c.audit.record({who.pid, "execve", image.path, "exec.allow_debuggers", allowed ? "warn" : "deny",
                  whose + (allowed ? ": runs with no exec stop" : ": cannot be checked at its exec stop")});
  (void)(allowed ? respond_continue(who.listener, who.id) : respond_errno(who.listener, who.id, EPERM));
}

}  // namespace

std::string exec_mismatch(pid_t pid, const ExpectedImage& expected) {
  struct stat st;
  if (::fstatat(host_proc(), (std::to_string(pid) + "/exe").c_str(), &st, 0) < 0) return "its program cannot be examined";
  if (!(verify::file_key(st) == expected.program)) return "its program is not the file that was verified";
  // The kernel maps the program and the loader its PT_INTERP names, nothing else. This
  // program is unchanged (same times), so without a loader there is nothing more to see.
  if (expected.mapped.size() == 1) return "";
  auto maps = read_maps(pid);
  if (!maps) return "its mappings cannot be read";
  for (const auto& m : *maps) {
    if (m.inode == 0) continue;
    bool known = std::any_of(expected.mapped.begin(), expected.mapped.end(),
                             [&](const verify::FileKey& k) { return k.dev == m.dev && k.ino == m.inode; });
    if (!known)
      return "it maps a file that was not verified (device " + std::to_string(major(m.dev)) + ":" +
             std::to_string(minor(m.dev)) + ", inode " + std::to_string(m.inode) + ")";
  }
  return "";
}

bool seize_for_exec(const JudgeContext& c, const Notified& who, const ExpectedImage& image) {
  if (::ptrace(PTRACE_SEIZE, who.pid, nullptr, kOptions) < 0) {
    if (errno == EPERM) debugged(c, who, image);
    return false;  // ESRCH: killed while it waited
  }
  // Stops it on its way out of an execve that fails; a successful one's exec stop takes its
  // place. (Were the thread killed and its id reused meanwhile, the stranger stops at once
  // and is let go.)
  if (::ptrace(PTRACE_INTERRUPT, who.pid, nullptr, nullptr) < 0) warn_ptrace("interrupt", who.pid);
  // ENOENT: killed meanwhile; its exit comes.
  (void)respond_continue(who.listener, who.id);
  return true;
}

pid_t exec_caller(pid_t pid) {
  unsigned long former = 0;
  if (::ptrace(PTRACE_GETEVENTMSG, pid, nullptr, &former) < 0) return pid;
  return pid_t(former);
}

bool at_stop(const JudgeContext& c, pid_t pid, int status, const ExpectedImage& image) {
  if ((status >> 16) == PTRACE_EVENT_EXEC) {
    std::string why = exec_mismatch(pid, image);
    if (!why.empty()) {
      // Stopped and ours: the pid cannot have been reused.
      c.audit.record({pid, "execve", image.path, "exec.image", "kill", why});
      ::kill(pid, SIGKILL);
      log_warn("supervisor: killed pid " + std::to_string(pid) + " at its exec: " + why);
      return false;
    }
  }
  // Any other stop comes after the execve returned: it failed.
  let_go(pid, status);
  return true;
}

void let_go(pid_t pid, int status) {
  // A signal-delivery stop passes its signal on; a group stop stays one.
  int sig = (status >> 16) == 0 ? WSTOPSIG(status) : 0;
  if (::ptrace(PTRACE_DETACH, pid, nullptr, reinterpret_cast<void*>(long(sig))) < 0) warn_ptrace("detach", pid);
}

}  // namespace vigil::supervisor
