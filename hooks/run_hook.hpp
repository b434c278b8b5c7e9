// OCI hooks (runtime-spec config.md, "POSIX-platform Hooks"): each hook runs with the
// container's state on its stdin; what it prints goes to the caller, line by line, for the log.
//
// Safe to call from the vigil CLI (any threads) and from the container's init after a fork:
// no allocation between clone and exec, SIGPIPE blocked only in the calling thread, and the
// hook invisible to SIGCHLD handling (see HookProcess). Nothing here logs or writes to
// stdio: inside the init, stdio is the container's.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "oci/spec.hpp"
#include "runtime/base/error.hpp"

namespace vigil {

// Receives each line the hook wrote to stdout or stderr (one pipe, so in the order written),
// without its '\n'. A last line without '\n' comes too; a line longer than 64 KiB comes in
// pieces. May be empty: the output is then dropped. Hook output never reaches the container.
using HookOutput = std::function<void(std::string_view line)>;

// Runs one hook to completion and reaps it. Each failure reads differently:
//   hook /x: exec: ENOENT (No such file or directory)      (also EACCES, ENOEXEC, ...)
//   hook /x: exited with status 3
//   hook /x: killed by signal 9 (SIGKILL)
//   hook /x: timed out after 5s                            (its whole process group is killed)
//   hook /x: exited with status 3 without reading its state (stdin closed after 65536 of 1048576 bytes)
// A hook that exits 0 without reading all of its state has succeeded (as with runc).
// The hook inherits the caller's cwd; its environment is exactly hook.env.
Status run_hook(const oci::Hook& hook, const std::string& state_json, const HookOutput& output);

// Runs `hooks` in order and stops at the first failure, whose error names the kind, the
// index in config.json (from 0, as runc counts) and the path:
//   createRuntime hook #1 (/usr/bin/foo): exited with status 3
Status run_hooks(std::string_view kind, const std::vector<oci::Hook>& hooks, const std::string& state_json,
                 const HookOutput& output);

}  // namespace vigil
