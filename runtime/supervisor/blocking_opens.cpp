#include "runtime/supervisor/blocking_opens.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <thread>

#include "runtime/supervisor/respond.hpp"
#include "runtime/supervisor/tracee_files.hpp"
#include "runtime/supervisor/tracee_memory.hpp"

namespace vigil::supervisor {
namespace {

// Its only job is to be delivered: without SA_RESTART, the thread's open returns EINTR.
constexpr int kInterrupt = SIGURG;

void install_interrupt() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_handler = [](int) {};
    sigemptyset(&sa.sa_mask);
    ::sigaction(kInterrupt, &sa, nullptr);
  });
}

// Whether thread `tid` has a signal pending that it does not block (its own, or its
// process's): one it would handle now, were it not held in its syscall.
bool signal_waiting(pid_t tid) {
  auto status = read_proc_file(tid, "status");
  if (!status) return false;
  auto mask = [&](const char* key) -> uint64_t {
    auto m = status_numbers(*status, key, 16);
    return m.empty() ? 0 : m[0];
  };
  return ((mask("SigPnd") | mask("ShdPnd")) & ~mask("SigBlk")) != 0;
}

}  // namespace

bool BlockingOpens::start(int listener, uint64_t id, pid_t tracee, std::function<void()> work) {
  install_interrupt();
  uint64_t key;
  {
    std::lock_guard lock(mu_);
    if (waiting_.size() >= kMaxWaiting) return false;
    key = ++serial_;
    waiting_[key] = {listener, id, tracee, 0};
  }
  std::thread([this, key, work = std::move(work)] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, kInterrupt);
    ::pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    {
      std::lock_guard lock(mu_);
      waiting_[key].tid = pid_t(::syscall(SYS_gettid));
    }
    work();
    std::lock_guard lock(mu_);
    waiting_.erase(key);
  }).detach();
  return true;
}

bool BlockingOpens::any() const {
  std::lock_guard lock(mu_);
  return !waiting_.empty();
}

void BlockingOpens::interrupt_stale() {
  std::lock_guard lock(mu_);
  // Under the lock: a thread leaves the map before it ends, so its tid is still its own.
  for (const auto& [key, w] : waiting_) {
    if (!w.tid) continue;
    bool left = !notification_valid(w.listener, w.id);
    // The kernel's restart code, as a signal handler sees it (include/linux/errno.h).
    constexpr int kRestartSys = 512;
    if (!left && signal_waiting(w.tracee)) left = respond_errno(w.listener, w.id, kRestartSys).ok();
    if (left) ::syscall(SYS_tgkill, ::getpid(), w.tid, kInterrupt);
  }
}

}  // namespace vigil::supervisor
