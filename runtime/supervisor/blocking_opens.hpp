// Opens that may block (a FIFO with no writer, a device) run on threads of their own, so that
// the monitor never waits on one and goes on answering the other processes. The monitor
// checks the waiting opens every kCheckMs: a process killed meanwhile has left its syscall,
// and one with a signal to handle is made to leave it as it would without supervision. The
// filter's WAIT_KILLABLE_RECV holds its signals while the supervisor has its call; so the
// call is answered with ERESTARTSYS, and the kernel then runs the handler and fails the call
// with EINTR, or restarts it under SA_RESTART. Either way the waiting thread is interrupted
// and ends, freeing what it held.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

namespace vigil::supervisor {

class BlockingOpens {
 public:
  static constexpr int kCheckMs = 50;
  // At most this many wait at once; an open beyond them fails with ENFILE.
  static constexpr size_t kMaxWaiting = 512;

  // Runs `work` (which answers notification `id` of `listener` itself) on a thread of its
  // own; false when kMaxWaiting already wait.
  bool start(int listener, uint64_t id, pid_t tracee, std::function<void()> work);
  bool any() const;
  // Interrupts the threads whose process left its syscall or has a signal to handle.
  void interrupt_stale();

 private:
  struct Waiting {
    int listener;
    uint64_t id;
    pid_t tracee;   // the thread in the syscall
    pid_t tid = 0;  // ours, 0 until it runs
  };
  mutable std::mutex mu_;
  uint64_t serial_ = 0;
  std::map<uint64_t, Waiting> waiting_;
};

}  // namespace vigil::supervisor
