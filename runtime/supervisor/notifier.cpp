#include "runtime/supervisor/notifier.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

// Linux 6.6; Debian 12's headers predate it.
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

namespace vigil::supervisor {

Notifier::Notifier(Judge& judge) : judge_(judge) {
  seccomp_notif_sizes sizes{};
  if (::syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) == 0 && sizes.seccomp_notif > notif_size_)
    notif_size_ = sizes.seccomp_notif;
}

Notifier::~Notifier() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (wake_) (void)!::eventfd_write(wake_.get(), 1);
  for (auto& t : threads_) t.join();
}

Status Notifier::start(size_t threads) {
  wake_ = unique_fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  gone_ = unique_fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake_ || !gone_) return Error::from_errno("eventfd");
  for (size_t i = 0; i < std::max<size_t>(threads, 1); i++) threads_.emplace_back([this] { thread_loop(); });
  return {};
}

void Notifier::add(unique_fd listener) {
  // The kernel wakes the receiving thread on this CPU where it can (Linux 6.6).
  uint64_t flags = SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP;
  (void)::ioctl(listener.get(), SECCOMP_IOCTL_NOTIF_SET_FLAGS, flags);
  {
    std::lock_guard lock(mu_);
    pending_.push_back(std::make_shared<Listener>(Listener{std::move(listener)}));
    live_++;
  }
  (void)!::eventfd_write(wake_.get(), 1);
}

size_t Notifier::live() {
  std::lock_guard lock(mu_);
  return live_;
}

std::shared_ptr<Notifier::Listener> Notifier::receive(std::vector<char>& buf) {
  for (;;) {
    std::vector<pollfd> fds = {{wake_.get(), POLLIN, 0}};
    for (const auto& l : listeners_) fds.push_back({l->fd.get(), POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;
    if (fds[0].revents) {
      eventfd_t v;
      (void)::eventfd_read(wake_.get(), &v);
      return nullptr;
    }
    for (size_t i = fds.size() - 1; i >= 1; i--) {
      auto l = listeners_[i - 1];
      if (fds[i].revents & POLLIN) {
        std::fill(buf.begin(), buf.end(), 0);
        if (::ioctl(l->fd.get(), SECCOMP_IOCTL_NOTIF_RECV, buf.data()) == 0) return l;
      } else if (fds[i].revents & (POLLHUP | POLLERR)) {
        // Every process that could notify through it is gone.
        listeners_.erase(listeners_.begin() + long(i - 1));
        {
          std::lock_guard lock(mu_);
          live_--;
        }
        (void)!::eventfd_write(gone_.get(), 1);
      }
    }
  }
}

void Notifier::thread_loop() {
  std::vector<char> buf(notif_size_);  // a struct seccomp_notif of the kernel's size
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !receiving_; });
      if (stopping_) return;
      receiving_ = true;
      for (auto& l : pending_) listeners_.push_back(std::move(l));
      pending_.clear();
    }
    auto from = receive(buf);
    {
      std::lock_guard lock(mu_);
      receiving_ = false;
    }
    cv_.notify_one();
    if (!from) continue;
    seccomp_notif n;
    std::memcpy(&n, buf.data(), sizeof n);
    judge_.judge(from->fd.get(), n);
  }
}

}  // namespace vigil::supervisor
