// Handles on a notified process: its pidfd, its root and cwd, fds taken from it. Each is
// opened by pid and then proven to be that process's with SECCOMP_IOCTL_NOTIF_ID_VALID (the
// process is still blocked in the syscall, so its pid was not reused meanwhile). The host's
// /proc is reached by an fd, so a thread inside a container's root (in_root.hpp) may call these.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"

namespace vigil::supervisor {

// The host's /proc, by fd: a judging thread may be in a container's root when it looks.
// supervisor_main opens it first, before any thread enters a root.
int host_proc();

struct Notified {
  int listener;
  uint64_t id;
  pid_t pid;  // a thread id
};

Result<unique_fd> open_pidfd(const Notified& n);
// /proc/PID/`which` (cwd, root), as an O_PATH directory, proven to be the notified process's.
Result<unique_fd> open_proc_dir(const Notified& n, const char* which);
// A duplicate of the process's `fd` (pidfd_getfd).
Result<unique_fd> take_fd(const Notified& n, int fd);
// Host uid → the uid the process's user namespace sees, and back, from /proc/PID/uid_map
// (or gid_map: the same for gids).
struct UidMap {
  struct Range {
    uint32_t inside, outside, count;
  };
  std::vector<Range> ranges;
  std::optional<uint32_t> container_uid(uint32_t host_uid) const;
  std::optional<uint32_t> host_uid(uint32_t inside) const;
};
// /proc/PID/NAME of the host's /proc, read whole.
Result<std::string> read_proc_file(pid_t pid, const char* name);
// A field of /proc/PID/status ("TracerPid", "NSpid"), its value as written there.
Result<std::string> status_field(pid_t pid, std::string_view name);
// The same from the text of a status file.
Result<std::string> status_value(std::string_view status, std::string_view name);
// Its whitespace-separated numbers in `base` ("NSpid", "Uid", "CapEff" in 16); none when the
// status has no such field.
std::vector<uint64_t> status_numbers(std::string_view status, std::string_view name, int base = 10);
// "pid N (comm)", to name a process in the audit log.
std::string describe_process(pid_t pid);
// Whether `pid` is pid 1 of its own pid namespace: its death then ends the namespace.
Result<bool> leads_pid_namespace(pid_t pid);

// The container's: read from its init before it runs the container's program.
Result<UidMap> read_uid_map(pid_t init);
// The text of a uid_map file: "inside outside count" lines.
UidMap parse_uid_map(std::string_view text);

}  // namespace vigil::supervisor
