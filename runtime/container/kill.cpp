#include <dirent.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime/container/container.hpp"
#include "runtime/container/status.hpp"
#include "runtime/container/store.hpp"
#include "runtime/process/process_handle.hpp"

namespace vigil {
namespace {

bool same_mount_ns(pid_t pid, const struct stat& ns) {
  struct stat st;
  return ::stat(("/proc/" + std::to_string(pid) + "/ns/mnt").c_str(), &st) == 0 && st.st_ino == ns.st_ino &&
         st.st_dev == ns.st_dev;
}

// --all: every process of the container. Each container has a mount namespace of its own
// (create insists), so its processes are exactly those that share the init's, whether or
// not it has a pid namespace. The pidfd is opened before the check, so the signal cannot
// reach a process that took a recycled pid after it.
Status signal_all(pid_t init, int sig) {
  struct stat ns;
  if (::stat(("/proc/" + std::to_string(init) + "/ns/mnt").c_str(), &ns) < 0)
    return Error::from_errno("stat the container's mount namespace");
  DIR* d = ::opendir("/proc");
  if (!d) return Error::from_errno("opendir /proc");
  while (dirent* e = ::readdir(d)) {
    pid_t pid = ::atoi(e->d_name);
    if (pid <= 0) continue;
    unique_fd fd(int(::syscall(SYS_pidfd_open, pid, 0)));
    if (fd && same_mount_ns(pid, ns)) (void)send_signal(fd.get(), sig);
  }
  ::closedir(d);
  return {};
}

}  // namespace

Status kill_container(const std::string& root, const std::string& id, int sig, bool all) {
  auto dir = TRY(ContainerDir::open(root, id));
  auto state = TRY(dir.load());
  auto proc = open_process(state.pid, state.start_time);
  if (!proc) return Error(ESRCH, "cannot kill container " + id + ": container not running");
  if (all) return with_context(signal_all(state.pid, sig), "kill container " + id);
  return with_context(send_signal(proc->get(), sig), "kill container " + id);
}

}  // namespace vigil
