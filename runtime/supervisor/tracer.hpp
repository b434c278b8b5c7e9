// ptrace of every process of a supervised container, from the init on: seized with
// TRACEEXEC/FORK/VFORK/CLONE, so each descendant is traced from birth, and EXITKILL, so the
// container dies with the supervisor. Every stop is answered at once, and in the way that
// keeps the process's own semantics: signals re-injected, group stops (^Z, SIGSTOP) kept
// stopped with PTRACE_LISTEN until SIGCONT.
//
// ptrace requests must come from the tracing thread, so run() owns them all; what must
// seize (a `vigil exec` hand-in) is answered on it too, through watch().
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <set>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"

namespace vigil::supervisor {

class Tracer {
 public:
  // Asked at each exec stop, before the new image runs: empty lets it run, else the reason it
  // is killed. Told of each traced thread that is gone.
  struct Hooks {
    std::function<std::string(pid_t pid, pid_t former_tid)> exec;
    std::function<void(pid_t tid)> gone;
  };
  explicit Tracer(Hooks hooks) : hooks_(std::move(hooks)) {}

  Status init();  // call on the tracing thread, before seize() and run()
  // Seizes `pid` (the tracing thread only).
  Status seize(pid_t pid);
  // run() also calls `on_readable` (on the tracing thread) whenever `fd` is readable.
  void watch(int fd, std::function<void()> on_readable);
  // Answers stops until no traced process is left.
  void run();

 private:
  void handle(pid_t pid, int status);
  void on_exec(pid_t pid);

  Hooks hooks_;
  std::set<pid_t> traced_;
  unique_fd signals_;  // signalfd for SIGCHLD
  int watched_ = -1;
  std::function<void()> on_watched_;
};

}  // namespace vigil::supervisor
