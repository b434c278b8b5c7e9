// The seccomp listeners of a supervised container (the init's, and one per `vigil exec`),
// watched by a small pool of threads that take turns: one receives while the others wait;
// the one that gets a notification hands receiving on to the next and judges it itself, so
// the notifying process waits for one thread's wake-up, not two, and a slow judgement (a
// large file to hash) never stops the others. A process that dies or is interrupted while
// judged only makes the answer fail with ENOENT, which is normal; no thread waits on a tracee.
#pragma once

#include <linux/seccomp.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"
#include "runtime/supervisor/judge.hpp"

namespace vigil::supervisor {

class Notifier {
 public:
  explicit Notifier(Judge& judge);
  ~Notifier();  // stops and joins every thread
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // At least one thread: it also sees listeners go.
  Status start(size_t threads);
  // A new listener to watch (thread-safe).
  void add(unique_fd listener);
  // How many listeners some process may still notify through (thread-safe); `gone_fd()`
  // becomes readable whenever one goes.
  size_t live();
  int gone_fd() const { return gone_.get(); }

 private:
  struct Listener {
    unique_fd fd;
  };
  void thread_loop();
  // The receiving thread's: waits for one notification into `buf`; null when woken for
  // a new listener or to stop.
  std::shared_ptr<Listener> receive(std::vector<char>& buf);

  Judge& judge_;
  unique_fd wake_;  // eventfd: a new listener, or stop
  unique_fd gone_;  // eventfd: a listener went
  size_t notif_size_ = sizeof(seccomp_notif);
  std::mutex mu_;
  std::condition_variable cv_;
  bool receiving_ = false;  // a thread is receiving
  bool stopping_ = false;
  size_t live_ = 0;
  std::vector<std::shared_ptr<Listener>> pending_;    // added, not yet watched
  std::vector<std::shared_ptr<Listener>> listeners_;  // the receiving thread's alone
  std::vector<std::thread> threads_;
};

}  // namespace vigil::supervisor
