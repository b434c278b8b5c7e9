// The parent's side of create: start the init from a read-only view of vigil and drive the
// handshake in protocol.hpp until the container is ready to start.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>

#include "oci/spec.hpp"
#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"
#include "runtime/init/request.hpp"

namespace vigil {

struct SpawnedInit {
  pid_t pid = 0;
  uint64_t start_time = 0;
  unique_fd pidfd;  // the container's init is our child (CLONE_PARENT), so it can be waited for
  unique_fd seccomp_listener;  // when the profile notifies: for listenerPath
};

using LogSink = std::function<void(int level, const std::string& text)>;
// Runs on stage 1's pid before it is told anything: it joins the container's cgroup here,
// so the cgroup namespace it creates later has that cgroup as its root.
using Stage1Hook = std::function<Status(pid_t)>;

// At the createRuntime point: runs the prestart and createRuntime hooks for the init `pid`
// and returns the state JSON the init gives its own hooks.
using HookPoint = std::function<Result<std::string>(pid_t init)>;

struct SpawnHandlers {
  Stage1Hook stage1;
  HookPoint hooks;
  LogSink log;
};

// The fds the init gets with its request.
struct InitFds {
  int first = -1;      // the exec fifo (create) or a pidfd of the container's init (exec)
  int exec_done = -1;  // create: held close-on-exec, so `start` sees EOF once the program runs
  int log = -1;        // --log, for what the init logs after create has returned
  int console = -1;    // process.terminal: where the init sends the pty master
};

// On failure every process started so far is killed and reaped.
Result<SpawnedInit> spawn_init(const oci::Spec& spec, InitRequest req, const InitFds& fds, const SpawnHandlers& on);

// This binary, as the init must exec it: never writable through /proc/PID/exe (CVE-2019-5736).
Result<unique_fd> readonly_self_exe();

}  // namespace vigil
