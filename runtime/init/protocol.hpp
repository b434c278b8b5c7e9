// The typed parent↔init protocol over a SOCK_STREAM socketpair. Each message is a fixed
// header, a payload, and optionally fds (SCM_RIGHTS). The init's socket is close-on-exec,
// so EOF after `ready` means the container's program was exec'd.
//
// The handshake, in order:
//   parent → init   request      {spec, rootfs, ...} + [exec fifo, log file (when --log)]
//   init   → parent maps         (only when the init created a user namespace)
//   parent → init   maps_done    after writing /proc/PID/{uid,gid}_map
//   init   → parent init_pid     {pid} + [pidfd] of the container's init, forked into the new pid namespace
//   init   → parent log          {level, text}, any number, any time
//   init   → parent hooks        at the createRuntime point (mounts done, before pivot_root)
//   parent → init   hooks_done    {state JSON} after prestart and createRuntime hooks succeeded
//   init   → parent seccomp      [listener fd], when the seccomp profile notifies (before ready)
//   init   → parent ready        setup done; init now waits on the exec fifo for `start`
//   init   → parent error        {errno, text} instead, at any point; the init then exits
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"

namespace vigil {

enum class MsgType : uint32_t { request = 1, maps, maps_done, init_pid, log, ready, error, seccomp, hooks, hooks_done };

struct Message {
  MsgType type{};
  int32_t err = 0;  // errno for error messages, level for log messages
  std::string payload;
  std::vector<unique_fd> fds;
};

Status send_message(int sock, MsgType type, int32_t err, std::string_view payload, std::span<const int> fds = {});
// Reads one message; EOF before a header is reported as an Error with errno 0 and text "EOF".
Result<Message> recv_message(int sock);

// The payload of init_pid: a decimal pid > 0.
Result<pid_t> decode_pid(std::string_view payload);

// The init's side: reports an error and exits. Never returns.
[[noreturn]] void init_fail(int sock, const Error& err);

}  // namespace vigil
