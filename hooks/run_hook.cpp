#include "hooks/run_hook.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>

#include "hooks/hook_io.hpp"
#include "hooks/hook_process.hpp"

namespace vigil {
namespace {

using Clock = std::chrono::steady_clock;

struct Pipe {
  unique_fd read, write;
};

Result<Pipe> make_pipe(const char* what) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) return Error::from_errno(std::string("pipe for ") + what);
  return Pipe{unique_fd(fds[0]), unique_fd(fds[1])};
}

// Only our end: O_NONBLOCK belongs to the open file, and the hook's end must stay blocking
// (a hook's `cat` does not expect EAGAIN).
Status set_nonblocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return Error::from_errno("fcntl O_NONBLOCK");
  return {};
}

// What happened on the hook's stdin while it ran, and whether we had to kill it.
struct Outcome {
  bool timed_out = false;
  size_t written = 0;
  int write_errno = 0;  // EPIPE: the hook closed stdin before reading all of the state
};

// Feeds the state to the hook while passing on its output, until it exits or its time is up.
// Both at once, in one poll loop: a hook that prints more than a pipe holds before reading
// stdin, or exits without reading it, must not block us.
class Exchange {
 public:
  Exchange(HookProcess& child, unique_fd in, unique_fd out, std::string_view state, const HookOutput& output)
      : child_(child), in_(std::move(in)), out_(std::move(out)), state_(state), lines_(output) {
    if (state_.empty()) in_.reset();  // EOF right away
  }

  Result<Outcome> run(std::optional<int> timeout_s) {
    std::optional<Clock::time_point> deadline;
    if (timeout_s) deadline = Clock::now() + std::chrono::seconds(*timeout_s);
    for (;;) {
      int wait_ms = -1;
      if (deadline) {
        auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now()).count();
        if (left <= 0) {
          child_.kill_group();
          outcome_.timed_out = true;
          break;
        }
        wait_ms = int(left);
      }
      // A negative fd is skipped by poll: that side is done.
      pollfd fds[3] = {{child_.pidfd(), POLLIN, 0}, {in_ ? in_.get() : -1, POLLOUT, 0}, {out_ ? out_.get() : -1, POLLIN, 0}};
      if (::poll(fds, 3, wait_ms) < 0) {
        if (errno == EINTR) continue;
        return Error::from_errno("poll");  // ~HookProcess kills and reaps it
      }
      if (fds[1].revents) write_some();
      if (fds[2].revents) read_some();
      if (fds[0].revents) {
        // It exited: what it wrote before is in the pipe. Take that, but do not wait for EOF,
        // which a background process it left holding stdout could put off forever.
        drain();
        break;
      }
    }
    lines_.flush();
    return outcome_;
  }

 private:
  void write_some() {
    std::string_view rest = state_.substr(outcome_.written);
    ssize_t n = ::write(in_.get(), rest.data(), rest.size());
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) return;
      if (errno == EPIPE) sigpipe_.raised();
      outcome_.write_errno = errno;
      in_.reset();
      return;
    }
    outcome_.written += size_t(n);
    if (outcome_.written == state_.size()) in_.reset();  // EOF tells the hook that was all
  }

  // Reads what is there now; false when there is nothing more for the moment.
  bool read_some() {
    char buf[65536];
    ssize_t n = ::read(out_.get(), buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return errno == EINTR;
    if (n <= 0) {
      out_.reset();
      return false;
    }
    lines_.feed(std::string_view(buf, size_t(n)));
    return true;
  }

  void drain() {
    // Bounded: a process the hook left behind may keep writing as fast as we read.
    for (size_t i = 0; out_ && i < 64 && read_some(); i++) {
    }
  }

  HookProcess& child_;
  unique_fd in_, out_;
  std::string_view state_;
  LineSplitter lines_;
  SigpipeBlocked sigpipe_;
  Outcome outcome_;
};

std::string signal_text(int sig) {
  std::string s = std::to_string(sig);
  if (const char* abbrev = sigabbrev_np(sig)) s += std::string(" (SIG") + abbrev + ")";
  return s;
}

// The one error for how the hook ended, or none if it succeeded.
Status judge(const siginfo_t& info, const Outcome& o, const oci::Hook& hook, size_t state_size) {
  if (o.timed_out) return Error::msg("timed out after " + std::to_string(*hook.timeout) + "s");
  std::string failure;
  if (info.si_code == CLD_EXITED) {
    if (info.si_status != 0) failure = "exited with status " + std::to_string(info.si_status);
  } else {
    failure = "killed by signal " + signal_text(info.si_status);
    if (info.si_code == CLD_DUMPED) failure += ", core dumped";
  }
  if (failure.empty()) {
    // A hook may stop reading once it has what it needs (runc and Go ignore EPIPE too).
    if (o.write_errno != 0 && o.write_errno != EPIPE) return Error(o.write_errno, "write state to the hook's stdin");
    return {};
  }
  if (o.write_errno == EPIPE)
    failure += " without reading its state (stdin closed after " + std::to_string(o.written) + " of " +
               std::to_string(state_size) + " bytes)";
  return Error::msg(failure);
}

// run_hook without the "hook PATH" prefix, which run_hooks words differently.
Status run_one(const oci::Hook& hook, const std::string& state_json, const HookOutput& output) {
  auto in = TRY(make_pipe("stdin"));
  auto out = TRY(make_pipe("output"));
  TRY(set_nonblocking(in.write.get()));
  TRY(set_nonblocking(out.read.get()));
  HookProcess child = TRY(spawn_hook(hook, in.read.get(), out.write.get()));
  // Only the hook holds these now, so EOF on its output and EPIPE on its stdin mean what they say.
  in.read.reset();
  out.write.reset();

  Exchange exchange(child, std::move(in.write), std::move(out.read), state_json, output);
  Outcome outcome = TRY(exchange.run(hook.timeout));
  siginfo_t info = TRY(child.reap());
  if (auto err = child.setup_error()) return std::move(*err);
  return judge(info, outcome, hook, state_json.size());
}

}  // namespace

Status run_hook(const oci::Hook& hook, const std::string& state_json, const HookOutput& output) {
  return with_context(run_one(hook, state_json, output), "hook " + hook.path);
}

Status run_hooks(std::string_view kind, const std::vector<oci::Hook>& hooks, const std::string& state_json,
                 const HookOutput& output) {
  for (size_t i = 0; i < hooks.size(); i++) {
    std::string ctx = std::string(kind) + " hook #" + std::to_string(i) + " (" + hooks[i].path + ")";
    TRY(with_context(run_one(hooks[i], state_json, output), ctx));
  }
  return {};
}

}  // namespace vigil
