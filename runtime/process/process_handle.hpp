// A process known by pid and start time, so a recycled pid is never mistaken for it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"

namespace vigil {

// Field `n` of a /proc/PID/stat text, numbered as proc(5) numbers them (3: the state); the
// command name (2) may hold spaces and parentheses, so fields resume after the last ')'.
std::optional<std::string> stat_field(std::string_view stat, int n);

// Field 22 of /proc/PID/stat (clock ticks since boot); nullopt when gone or a zombie.
std::optional<uint64_t> process_start_time(pid_t pid);

// A pidfd for `pid` if it is still the process that started at `start_time`, else nullopt.
// The pidfd is opened first and the start time checked after: if they match, the pidfd is ours.
std::optional<unique_fd> open_process(pid_t pid, uint64_t start_time);

Status send_signal(int pidfd, int sig);
// Waits up to `timeout_ms` for the process behind `pidfd` to exit; true when it has.
bool wait_exit(int pidfd, int timeout_ms);

}  // namespace vigil
