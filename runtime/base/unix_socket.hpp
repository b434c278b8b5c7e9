// Unix sockets: connecting by path (however long), and messages that carry fds (SCM_RIGHTS).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"

namespace vigil {

// A stream connection to the socket at `path`. Paths longer than sun_path (conmon's console
// sockets can be) are reached through an fd of their directory.
Result<unique_fd> connect_unix(const std::string& path);

// A listening stream socket bound at `path` (of any length), mode 0600: for root only.
Result<unique_fd> listen_unix(const std::string& path);

// One sendmsg of `data` with `fds` attached to its first byte; returns how much was sent.
Result<size_t> send_with_fds(int sock, std::string_view data, std::span<const int> fds);

// One recvmsg into `buf`; the fds that came with it (close-on-exec) are appended to `fds`.
// Returns the bytes read, 0 at EOF.
Result<size_t> recv_with_fds(int sock, void* buf, size_t len, std::vector<unique_fd>& fds);

}  // namespace vigil
