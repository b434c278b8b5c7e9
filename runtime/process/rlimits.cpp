#include <sys/resource.h>

#include <fstream>

#include "runtime/base/file.hpp"
#include "runtime/process/identity.hpp"

namespace vigil {

Status apply_rlimits(const std::vector<oci::Rlimit>& rlimits) {
  for (const auto& r : rlimits) {
    rlimit cur{};
    ::getrlimit(r.resource, &cur);
    rlimit want{r.soft, r.hard};
    if (::setrlimit(r.resource, &want) == 0) continue;
    if (errno == EPERM && r.hard > cur.rlim_max)
      return Error(EPERM, "setrlimit " + r.type + " to " + std::to_string(r.soft) + ":" + std::to_string(r.hard) +
                              ": raising the hard limit above " + std::to_string(cur.rlim_max) +
                              " needs CAP_SYS_RESOURCE, which vigil does not have here");
    return Error::from_errno("setrlimit " + r.type + " to " + std::to_string(r.soft) + ":" + std::to_string(r.hard));
  }
  return {};
}

Status apply_oom_score_adj(int value) {
  auto st = write_file("/proc/self/oom_score_adj", std::to_string(value));
  if (!st && value < 0 && (st.error().code() == EACCES || st.error().code() == EPERM))
    return Error(st.error().code(), "set oom_score_adj to " + std::to_string(value) +
                                        ": lowering it needs CAP_SYS_RESOURCE, which vigil does not have here");
  return st;
}

}  // namespace vigil
