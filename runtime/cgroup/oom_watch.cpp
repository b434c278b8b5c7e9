#include "runtime/cgroup/oom_watch.hpp"

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "runtime/base/file.hpp"

namespace vigil::cgroup {

Result<unique_fd> oom_notifier(const Cgroup& cg) {
  const Dir* d = cg.find("memory");
  if (!d) return Error(ENOENT, "no memory controller to watch for OOM kills");
  if (d->hierarchy.v2) {
    unique_fd in(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
    if (!in) return Error::from_errno("inotify_init1");
    if (::inotify_add_watch(in.get(), (d->path + "/memory.events").c_str(), IN_MODIFY) < 0)
      return Error::from_errno("watch " + d->path + "/memory.events");
    return in;
  }
  unique_fd efd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!efd) return Error::from_errno("eventfd");
  auto control = TRY(open_fd(d->path + "/memory.oom_control", O_RDONLY));
  TRY(write_file(d->path + "/cgroup.event_control", std::to_string(efd.get()) + " " + std::to_string(control.get())));
  return efd;
}

void drain_oom_notifier(int fd) {
  char buf[4096];
  while (::read(fd, buf, sizeof buf) > 0) {
  }
}

}  // namespace vigil::cgroup
