// ptrace of every process of a supervised container, from the init on: seized with
// TRACEEXEC/FORK/VFORK/CLONE, so each descendant is traced from birth, and EXITKILL, so the
// container dies with the supervisor. Every stop is answered at once, and in the way that
// keeps the process's own semantics: signals re-injected, group stops (^Z, SIGSTOP) kept
// stopped with PTRACE_LISTEN until SIGCONT.
//
// ptrace requests must come from the tracing thread, so run() owns them all: other threads
// hand pids to seize() through request_seize().
#pragma once

#include <sys/types.h>

#include <functional>
#include <future>
#include <string>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

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
  // From any thread: has run() seize `pid`; the future says how it went.
  std::future<Status> request_seize(pid_t pid);
  // Answers stops until no traced process is left.
  void run();

 private:
  void handle(pid_t pid, int status);
  void take_requests(bool done);

  void on_exec(pid_t pid);

  Hooks hooks_;
  std::set<pid_t> traced_;
  unique_fd signals_;  // signalfd for SIGCHLD
  unique_fd wake_;     // eventfd for seize requests
  std::mutex mu_;
  std::vector<std::pair<pid_t, std::promise<Status>>> requests_;
};

}  // namespace vigil::supervisor
