// The /proc files of a container's processes the supervisor reads: maps (file names the
// container chose), statm, uid_map and status (its name, the process's identity); and
// mountinfo, whose mount points configs name.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/rootfs/mountinfo.hpp"
#include "runtime/supervisor/act_as.hpp"
#include "runtime/supervisor/memory_source.hpp"
#include "runtime/supervisor/proc_maps.hpp"
#include "runtime/supervisor/tracee_files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<vigil::supervisor::SharedExtent> extents;
  for (const auto& m : vigil::supervisor::parse_maps(text))
    if (m.shared) extents.push_back({m.dev, m.inode, m.offset, m.offset + (m.end - m.start)});
  (void)vigil::supervisor::shared_bytes(extents);
  (void)vigil::supervisor::parse_statm(text, 4096);
  auto uids = vigil::supervisor::parse_uid_map(text);
  (void)uids.container_uid(1000);
  (void)vigil::parse_mountinfo(std::string(text));
  (void)vigil::supervisor::parse_identity(text, true);
  return 0;
}
