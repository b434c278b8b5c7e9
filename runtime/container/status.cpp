#include "runtime/container/status.hpp"

#include <unistd.h>

#include "runtime/process/process_handle.hpp"

namespace vigil {

std::string container_status(const ContainerDir& dir, const oci::ContainerState& s) {
  if (!open_process(s.pid, s.start_time)) return "stopped";
  return ::access(dir.fifo_path().c_str(), F_OK) == 0 ? "created" : "running";
}

}  // namespace vigil
