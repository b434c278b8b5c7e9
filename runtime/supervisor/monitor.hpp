// The supervisor's working thread. One poll over the container's seccomp listeners (the
// init's, one per `vigil exec`), SIGCHLD and a wake-up: it receives each notification,
// judges it, and sees an allowed exec through its exec stop (exec_stop.hpp) without waiting
// for it, since the stop comes as SIGCHLD to this same thread, the process's tracer. One
// thread, so no hand-off between threads on the way of a notification: on these machines
// each wake-up costs about as much as a judgement. What it cannot do while it waits: a
// file read for the first time (the examiner reading and hashing it) holds up the other
// notifications for that long.
#pragma once

#include <linux/seccomp.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"
#include "runtime/supervisor/exec_stop.hpp"
#include "runtime/supervisor/judge.hpp"

namespace vigil::supervisor {

class Monitor {
 public:
  explicit Monitor(Judge& judge);
  ~Monitor();  // stops and joins the thread
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  // Its fds, made before the supervisor confines itself.
  Status open();
  // The thread. SIGCHLD must be blocked in every thread (the caller's mask is inherited).
  void start();
  // A new listener to watch (thread-safe).
  void add(unique_fd listener);
  // How many listeners some process may still notify through (thread-safe); `gone_fd()`
  // becomes readable whenever one goes.
  size_t live();
  int gone_fd() const { return gone_.get(); }
  // How many notifications it has received (for make bench's count).
  uint64_t received() const { return received_.load(std::memory_order_relaxed); }

 private:
  void loop();
  void receive(int listener);
  // Every stop and exit of a seized process that is pending.
  void reap_stops();

  Judge& judge_;
  unique_fd wake_;     // eventfd: a new listener, or stop
  unique_fd gone_;     // eventfd: a listener went
  unique_fd signals_;  // signalfd: SIGCHLD, a seized process stopped
  std::mutex mu_;
  bool stopping_ = false;
  size_t live_ = 0;
  std::vector<unique_fd> pending_;  // added, not yet watched
  std::thread thread_;
  // The monitor thread's alone:
  std::vector<char> notif_buf_;
  std::atomic<uint64_t> received_{0};
  std::vector<unique_fd> listeners_;
  std::unordered_map<pid_t, ExpectedImage> seized_;  // by the thread id that called execve
  size_t dying_ = 0;  // killed at their exec stop, exit not yet reaped
};

}  // namespace vigil::supervisor
