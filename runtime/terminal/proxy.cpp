#include "runtime/terminal/proxy.hpp"

#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "runtime/base/file.hpp"

namespace vigil {
namespace {

// Reads once from `from` and writes it all to `to`; false at EOF or on an error.
bool copy_once(int from, int to) {
  char buf[8192];
  ssize_t n;
  do n = ::read(from, buf, sizeof buf);
  while (n < 0 && errno == EINTR);
  if (n <= 0) return false;
  (void)write_all(to, std::string_view(buf, size_t(n)), "terminal");
  return true;
}

}  // namespace

TerminalProxy::TerminalProxy(unique_fd master) : master_(std::move(master)) {
  termios t;
  if (::tcgetattr(0, &t) < 0) return;
  saved_ = t;
  ::cfmakeraw(&t);
  ::tcsetattr(0, TCSANOW, &t);
  resize();
}

TerminalProxy::~TerminalProxy() {
  if (saved_) ::tcsetattr(0, TCSANOW, &*saved_);
}

void TerminalProxy::resize() {
  winsize ws{};
  if (::ioctl(0, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col) ::ioctl(master_.get(), TIOCSWINSZ, &ws);
}

bool TerminalProxy::copy_input() { return copy_once(0, master_.get()); }

// EIO from a master means no slave is open any more.
bool TerminalProxy::copy_output() { return copy_once(master_.get(), 1); }

void TerminalProxy::drain() {
  pollfd p{master_.get(), POLLIN, 0};
  while (::poll(&p, 1, 0) > 0 && (p.revents & POLLIN) && copy_output()) {
  }
}

}  // namespace vigil
