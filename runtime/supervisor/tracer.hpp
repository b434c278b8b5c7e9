// ptrace, only where an exec needs it. A process is seized when its execve, judged and
// allowed, is about to run (it is blocked in the notification, so the seize cannot race with
// it), checked at its exec stop and let go: forks, clones and exits cost nothing, and a
// process that never execs is never traced, so debuggers work in the container.
//
// Seized with TRACEEXEC and EXITKILL, then interrupted before its execve continues: the
// exec stop consumes the interrupt, and an execve that fails stops on its way out instead,
// where it is let go. Either way exactly one stop. The container's init is kept for life
// (keep()): if the supervisor dies, EXITKILL kills it, and with it its pid namespace.
//
// Every stop is answered at once, in the way that keeps the process's own semantics:
// signals re-injected, group stops (^Z, SIGSTOP) kept stopped with PTRACE_LISTEN until
// SIGCONT. ptrace requests must come from the tracing thread, so run() makes them all; other
// threads ask through let_exec().
#pragma once

#include <sys/types.h>

#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"
#include "runtime/supervisor/tracee_files.hpp"

namespace vigil::supervisor {

class Tracer {
 public:
  struct Hooks {
    // At an exec stop, before the new image runs: empty lets it run, else the reason it is
    // killed.
    std::function<std::string(pid_t pid, pid_t former_tid)> exec;
    // The exec of `tid` will have no exec stop: it exited, its execve failed, or it runs
    // unseized.
    std::function<void(pid_t tid)> gone;
    // `tid` cannot be seized: `tracer` (a host pid, 0 if none) traces it. True lets its exec
    // run all the same, without an exec stop.
    std::function<bool(pid_t tid, pid_t tracer)> debugged;
  };
  explicit Tracer(Hooks hooks) : hooks_(std::move(hooks)) {}

  Status init();  // on the tracing thread, before anything else
  // Seizes `pid` for as long as it lives (the tracing thread only).
  Status keep(pid_t pid);
  // Any thread: the judged execve of thread `who.pid` may run. It is seized (unless it is
  // already ours) and its notification answered, on the tracing thread.
  void let_exec(const Notified& who);
  // run() also calls `on_readable` (on the tracing thread) whenever `fd` is readable.
  void watch(int fd, std::function<void()> on_readable);
  // Answers stops and exec requests until `over()` holds, checked after each wake-up.
  void run(const std::function<bool()>& over);
  // Whether a kept process is still alive (the tracing thread only).
  bool keeps_any() const;

 private:
  struct Tracee {
    bool kept = false;
  };
  struct ExecRequest {
    unique_fd listener;  // a duplicate: the notifier may close its own meanwhile
    uint64_t id;
    pid_t tid;
  };
  void start_exec(const ExecRequest& r);
  void handle(pid_t pid, int status);
  // At an exec stop: the entry of the thread that called execve is moved to the new pid.
  Tracee& after_exec(pid_t pid, pid_t former);
  void let_go(pid_t pid, int sig);

  Hooks hooks_;
  std::unordered_map<pid_t, Tracee> traced_;
  unique_fd signals_;  // signalfd for SIGCHLD
  unique_fd requested_;  // eventfd: requests_ has more
  std::mutex mu_;
  std::vector<ExecRequest> requests_;
  std::vector<std::pair<int, std::function<void()>>> watched_;
};

}  // namespace vigil::supervisor
