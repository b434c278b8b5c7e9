// systemd's manager over D-Bus (org.freedesktop.systemd1.Manager on the system bus), through
// libdbus-1 (Debian's static libdbus-1.a keeps vigil a static binary): the transient scope a
// container's cgroup is, its properties, and its end. Each call that makes a job waits for
// the job's JobRemoved signal and its result, bounded in time.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "runtime/base/error.hpp"
#include "runtime/cgroup/systemd/properties.hpp"
#include "runtime/cgroup/systemd/unit_name.hpp"

struct DBusConnection;

namespace vigil::cgroup::systemd {

class Manager {
 public:
  // The system bus: ENOENT or ECONNREFUSED, named, where there is no systemd to ask.
  static Result<Manager> connect();
  Manager(Manager&&) noexcept;
  Manager& operator=(Manager&&) noexcept;
  ~Manager();

  // The scope `u`, delegated to us (Delegate=yes), with `pid` in it and `resources` set,
  // started and its job done.
  Status start_scope(const UnitName& u, pid_t pid, const std::vector<Property>& resources);
  // Runtime properties of a running unit (update).
  Status set_properties(const std::string& unit, const std::vector<Property>& props);
  // Stops the unit and forgets a failed state, so that nothing of it is left; a unit that is
  // not there is fine.
  Status stop(const std::string& unit);

 private:
  explicit Manager(DBusConnection* c) : c_(c) {}
  DBusConnection* c_;
};

}  // namespace vigil::cgroup::systemd
