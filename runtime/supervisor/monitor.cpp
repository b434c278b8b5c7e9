#include "runtime/supervisor/monitor.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>

// Linux 6.6; Debian 12's headers predate it.
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

namespace vigil::supervisor {

Monitor::Monitor(Judge& judge) : judge_(judge) {
  // A struct seccomp_notif of the kernel's size, which may be larger than ours.
  size_t size = sizeof(seccomp_notif);
  seccomp_notif_sizes sizes{};
  if (::syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) == 0 && sizes.seccomp_notif > size)
    size = sizes.seccomp_notif;
  notif_buf_.resize(size);
}

Monitor::~Monitor() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  if (wake_) (void)!::eventfd_write(wake_.get(), 1);
  if (thread_.joinable()) thread_.join();
}

Status Monitor::open() {
  wake_ = unique_fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  gone_ = unique_fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake_ || !gone_) return Error::from_errno("eventfd");
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  signals_ = unique_fd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!signals_) return Error::from_errno("signalfd");
  return {};
}

void Monitor::start() { thread_ = std::thread([this] { loop(); }); }

void Monitor::add(unique_fd listener) {
  // The kernel wakes the monitor on the notifying CPU, and the process on ours (Linux 6.6).
  uint64_t flags = SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP;
  (void)::ioctl(listener.get(), SECCOMP_IOCTL_NOTIF_SET_FLAGS, flags);
  {
    std::lock_guard lock(mu_);
    pending_.push_back(std::move(listener));
    live_++;
  }
  (void)!::eventfd_write(wake_.get(), 1);
}

size_t Monitor::live() {
  std::lock_guard lock(mu_);
  return live_;
}

void Monitor::receive(int listener) {
  std::fill(notif_buf_.begin(), notif_buf_.end(), 0);  // the kernel wants it zeroed
  if (::ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, notif_buf_.data()) < 0) return;
  received_.fetch_add(1, std::memory_order_relaxed);
  seccomp_notif n;
  std::memcpy(&n, notif_buf_.data(), sizeof n);
  auto image = judge_.judge(listener, n);
  if (!image) return;
  Notified who{listener, n.id, pid_t(n.pid)};
  if (seize_for_exec(judge_.context(), who, *image)) seized_[who.pid] = std::move(*image);
}

void Monitor::reap_stops() {
  // Its only children are seized processes: none left, none to wait for.
  while (!seized_.empty() || dying_ > 0) {
    int status;
    pid_t pid = ::waitpid(-1, &status, WNOHANG | __WALL | __WNOTHREAD);
    if (pid <= 0) return;
    if (!WIFSTOPPED(status)) {
      if (seized_.erase(pid) == 0 && dying_ > 0) dying_--;  // killed at its stop, or before
      continue;
    }
    // At an exec stop the pid is the process's, whichever of its threads called execve.
    pid_t tid = (status >> 16) == PTRACE_EVENT_EXEC ? exec_caller(pid) : pid;
    auto it = seized_.find(tid);
    if (it == seized_.end()) {
      let_go(pid, status);  // not one of ours to check (a seize that raced with a reused tid)
      continue;
    }
    // Killed at a mismatch, its exit is still to be reaped.
    if (!at_stop(judge_.context(), pid, status, it->second)) dying_++;
    seized_.erase(it);
  }
}

void Monitor::loop() {
  // Rebuilt only when the listeners change, not on every wake-up.
  std::vector<pollfd> fds;
  bool changed = true;
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      changed |= !pending_.empty();
      for (auto& l : pending_) listeners_.push_back(std::move(l));
      pending_.clear();
    }
    if (changed) {
      changed = false;
      fds = {{wake_.get(), POLLIN, 0}, {signals_.get(), POLLIN, 0}};
      for (const auto& l : listeners_) fds.push_back({l.get(), POLLIN, 0});
    }
    // While opens wait on threads of their own, their processes are checked for having left.
    BlockingOpens* blocking = judge_.blocking();
    bool waiting = blocking && blocking->any();
    int ready = ::poll(fds.data(), fds.size(), waiting ? BlockingOpens::kCheckMs : -1);
    if (waiting) blocking->interrupt_stale();
    if (ready <= 0) continue;
    if (fds[0].revents) {
      eventfd_t v;
      (void)::eventfd_read(wake_.get(), &v);
    }
    if (fds[1].revents) {
      // SIGCHLD does not queue: one read clears it, and waitpid finds every change.
      signalfd_siginfo si;
      (void)!::read(signals_.get(), &si, sizeof si);
      reap_stops();
    }
    for (size_t i = fds.size() - 1; i >= 2; i--) {
      if (fds[i].revents & POLLIN) {
        receive(fds[i].fd);
      } else if (fds[i].revents & (POLLHUP | POLLERR)) {
        // Every process that could notify through it is gone.
        listeners_.erase(listeners_.begin() + long(i - 2));
        changed = true;
        {
          std::lock_guard lock(mu_);
          live_--;
        }
        (void)!::eventfd_write(gone_.get(), 1);
      }
    }
  }
}

}  // namespace vigil::supervisor
