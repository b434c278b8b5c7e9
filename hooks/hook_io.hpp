// The two small pieces of run_hook's I/O: cutting output into lines, and writing to a pipe
// whose reader may be gone without dying of SIGPIPE.
#pragma once

#include <signal.h>

#include <string>
#include <string_view>

#include "hooks/run_hook.hpp"

namespace vigil {

// Feeds complete lines to a HookOutput. Lines are capped so a hook printing without newlines
// cannot make us buffer without bound.
class LineSplitter {
 public:
  static constexpr size_t kMaxLine = 64 * 1024;

  explicit LineSplitter(const HookOutput& output) : output_(output) {}
  void feed(std::string_view data);
  // Passes on a last line that did not end with '\n'.
  void flush();

 private:
  void emit(std::string_view line);

  const HookOutput& output_;
  std::string partial_;
};

// While alive, SIGPIPE is blocked in this thread; a SIGPIPE raised by our own write to a
// closed pipe is consumed before the old mask is restored. EPIPE tells us all we need.
// (Setting SIG_IGN instead would change it for every thread of the process.)
class SigpipeBlocked {
 public:
  SigpipeBlocked();
  SigpipeBlocked(const SigpipeBlocked&) = delete;
  SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;
  ~SigpipeBlocked();
  // Call after a write failed with EPIPE: it raised a SIGPIPE for this thread.
  void raised() { raised_ = true; }

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool was_pending_ = false;  // someone else's SIGPIPE, left for them
  bool raised_ = false;
};

}  // namespace vigil
