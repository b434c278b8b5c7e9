// ptrace, only where an exec needs it. The monitor (monitor.hpp) seizes the process of an
// execve it allowed (blocked in the notification, so the seize cannot race with it), lets
// the execve go on, and takes its one stop: at PTRACE_EVENT_EXEC, before the new image
// runs one instruction, /proc/PID/exe must be the very file (device, inode, size, mtime,
// ctime) that was verified and every file in /proc/PID/maps (the program, its loader) one
// that was; then the process is let go. Forks, clones and exits cost nothing, a process that
// never execs is never traced, and debuggers work in the container.
//
// Seized with TRACEEXEC and EXITKILL and interrupted before its execve continues: the exec
// stop consumes the interrupt, and an execve that fails stops on its way out instead, where
// it is let go. Either way exactly one stop.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "runtime/verify/file_facts.hpp"

namespace vigil::supervisor {

struct JudgeContext;
struct Notified;

// What an allowed execve may map.
struct ExpectedImage {
  std::string path;  // the program the process asked for, as the container sees it
  verify::FileKey program;  // /proc/PID/exe: the ELF program (a script's final interpreter)
  std::vector<verify::FileKey> mapped;  // every file the kernel maps: the program and its loader
};

// Empty when the image of stopped `pid` is what was verified; else why not.
std::string exec_mismatch(pid_t pid, const ExpectedImage& expected);

// Seizes the process of an allowed execve, then lets the execve go on: true when its one
// stop is to come. A process a debugger traces cannot be seized: its exec is refused with
// EPERM, or with exec.allow_debuggers let through unseen; audited either way.
bool seize_for_exec(const JudgeContext& c, const Notified& who, const ExpectedImage& image);
// At an exec stop of `pid`: the thread that called execve.
pid_t exec_caller(pid_t pid);
// At the stop of a seized process: at its exec stop the image is checked (a mismatch is
// killed and audited; its exit follows), else its execve failed; either way it is let go.
// False when it was killed.
bool at_stop(const JudgeContext& c, pid_t pid, int status, const ExpectedImage& image);
// Detaches a stopped tracee, passing on the signal it stopped for, if any.
void let_go(pid_t pid, int status);

}  // namespace vigil::supervisor
