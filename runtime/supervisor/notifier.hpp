// The seccomp listeners of a supervised container: one receive thread polls them all (the
// init's, and one per `vigil exec`) and answers what it can decide at once; a small pool of
// workers judges the rest. A process that dies or is interrupted while judged only makes the answer fail
// with ENOENT, which is normal; no worker ever waits on a tracee.
#pragma once

#include <linux/seccomp.h>

#include <condition_variable>
#include <deque>
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

  Status start(size_t workers);
  // A new listener to watch (thread-safe).
  void add(unique_fd listener);

 private:
  struct Listener {
    unique_fd fd;
  };
  struct Item {
    std::shared_ptr<Listener> listener;
    std::vector<char> notif;  // a struct seccomp_notif of the kernel's size
  };
  void receive_loop();
  void worker_loop();

  Judge& judge_;
  unique_fd wake_;  // eventfd: a new listener, or stop
  size_t notif_size_ = sizeof(seccomp_notif);
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  std::vector<std::shared_ptr<Listener>> pending_;  // added, not yet polled
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace vigil::supervisor
