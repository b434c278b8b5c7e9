#include "runtime/container/container.hpp"
#include "runtime/container/handle.hpp"

namespace vigil {

Status pause_container(const std::string& root, const std::string& id, bool pause) {
  auto c = TRY(Container::open(root, id));
  std::string status = c.status();
  const char* want = pause ? "running" : "paused";
  if (status != want)
    return Error(EINVAL, std::string("cannot ") + (pause ? "pause" : "resume") + " container " + id + ": it is " +
                             status + ", not " + want);
  return with_context(c.cgroup.freeze(pause), std::string(pause ? "pause" : "resume") + " container " + id);
}

}  // namespace vigil
