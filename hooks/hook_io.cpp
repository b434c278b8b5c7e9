#include "hooks/hook_io.hpp"

#include <pthread.h>

#include <cerrno>
#include <ctime>

namespace vigil {

void LineSplitter::emit(std::string_view line) {
  if (output_) output_(line);
}

void LineSplitter::feed(std::string_view data) {
  while (!data.empty()) {
    size_t nl = data.find('\n');
    if (nl == std::string_view::npos) {
      partial_.append(data);
      // Longer than a line should be: pass it on in pieces.
      while (partial_.size() >= kMaxLine) {
        emit(std::string_view(partial_).substr(0, kMaxLine));
        partial_.erase(0, kMaxLine);
      }
      return;
    }
    if (partial_.empty()) {
      emit(data.substr(0, nl));
    } else {
      partial_.append(data.substr(0, nl));
      emit(partial_);
      partial_.clear();
    }
    data.remove_prefix(nl + 1);
  }
}

void LineSplitter::flush() {
  if (partial_.empty()) return;
  emit(partial_);
  partial_.clear();
}

SigpipeBlocked::SigpipeBlocked() {
  sigemptyset(&pipe_);
  sigaddset(&pipe_, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  sigset_t pending;
  sigemptyset(&pending);
  sigpending(&pending);
  was_pending_ = sigismember(&pending, SIGPIPE) == 1;
}

SigpipeBlocked::~SigpipeBlocked() {
  if (raised_ && !was_pending_) {
    // Standard signals do not queue: exactly one SIGPIPE is pending, ours. Take it.
    timespec zero{};
    while (sigtimedwait(&pipe_, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_, nullptr);
}

}  // namespace vigil
