#include "runtime/terminal/pty.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "runtime/rootfs/resolve.hpp"

namespace vigil {

Result<Pty> open_pty(int root, const std::optional<oci::ConsoleSize>& size) {
  Pty pty;
  pty.master = TRY_CTX(open_in_root(root, "/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC), "open the container's /dev/ptmx");
  // Whatever the image left at /dev/ptmx, only a pty master answers these.
  int number = 0, unlock = 0;
  if (::ioctl(pty.master.get(), TIOCGPTN, &number) < 0)
    return Error::from_errno("/dev/ptmx in the container is not a pty multiplexer");
  if (::ioctl(pty.master.get(), TIOCSPTLCK, &unlock) < 0) return Error::from_errno("unlock pty");
  pty.slave = unique_fd(::ioctl(pty.master.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!pty.slave) return Error::from_errno("open the pty's peer /dev/pts/" + std::to_string(number));
  if (size) {
    winsize ws{};
    ws.ws_row = uint16_t(size->height);
    ws.ws_col = uint16_t(size->width);
    if (::ioctl(pty.master.get(), TIOCSWINSZ, &ws) < 0) return Error::from_errno("set the console size");
  }
  return pty;
}

Status attach_terminal(int slave, uint32_t uid) {
  if (::fchown(slave, uid, gid_t(-1)) < 0) return Error::from_errno("chown the terminal to uid " + std::to_string(uid));
  if (::ioctl(slave, TIOCSCTTY, 0) < 0) return Error::from_errno("make the pty the controlling terminal");
  for (int fd = 0; fd < 3; fd++)
    if (::dup2(slave, fd) < 0) return Error::from_errno("dup the terminal to fd " + std::to_string(fd));
  return {};
}

}  // namespace vigil
