// `run` and `exec` in the foreground with a terminal: vigil holds the pty master and copies
// between it and its own stdio, with its terminal in raw mode so every key reaches the
// container's line discipline (^C becomes the container's SIGINT, not ours).
#pragma once

#include <termios.h>

#include <optional>

#include "runtime/base/unique_fd.hpp"

namespace vigil {

class TerminalProxy {
 public:
  // Puts our stdin in raw mode when it is a terminal and gives the container its size.
  explicit TerminalProxy(unique_fd master);
  ~TerminalProxy();  // our terminal as it was
  TerminalProxy(const TerminalProxy&) = delete;
  TerminalProxy& operator=(const TerminalProxy&) = delete;

  int master() const { return master_.get(); }
  // Our terminal's size to the container's (on SIGWINCH).
  void resize();
  // stdin → container; false once stdin is at its end (it is no longer polled then).
  bool copy_input();
  // container → stdout; false once no process holds the terminal any more.
  bool copy_output();
  // What the container wrote before its process exited and we have not yet copied.
  void drain();

 private:
  unique_fd master_;
  std::optional<termios> saved_;
};

}  // namespace vigil
