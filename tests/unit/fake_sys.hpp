// A Sys that records each privileged call as one line instead of making it, so the order
// and arguments of the container setup are tested without root. Device nodes become empty
// files, so the steps after mknod (chown) still find something.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "runtime/sys/sys.hpp"

namespace vigil::internal {

class FakeSys final : public Sys {
 public:
  std::vector<std::string> calls;

  Status mount_fs(const std::string& type, const std::string& source, const FsOptions& options, uint64_t attr_flags,
                  int, const std::string& where, const std::function<Status(int)>& fill) override {
    std::string opts;
    for (const auto& [k, v] : options) opts += (opts.empty() ? "" : ",") + k + (v.empty() ? "" : "=" + v);
    return record("mount " + type + " " + source + " on " + where + " [" + opts + "] attr=" + std::to_string(attr_flags) +
                  (fill ? " filled" : ""));
  }
  Status bind(int, bool recursive, const MountAttr& rec, const MountAttr& top, int, const std::string& where) override {
    return record(std::string(recursive ? "rbind" : "bind") + " on " + where + " rec=" + std::to_string(rec.set) +
                  " top=" + std::to_string(top.set) + "/" + std::to_string(top.clr));
  }
  Status set_attr(int, const MountAttr& a, const std::string& where) override {
    return record("setattr " + where + " set=" + std::to_string(a.set) + " prop=" + std::to_string(a.propagation));
  }
  Status set_propagation(const std::string& path, unsigned long flags) override {
    return record("propagation " + path + " " + std::to_string(flags));
  }
  Status mknod(int dirfd, const std::string& name, mode_t mode, dev_t dev, const std::string& where) override {
    int fd = ::openat(dirfd, name.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    if (fd >= 0) ::close(fd);
    return record("mknod " + where + " " + std::to_string(mode) + " " + std::to_string(dev));
  }
  Status pivot_root(int) override { return record("pivot_root"); }
  Status move_root(int) override { return record("move_root"); }
  Status chroot_root(int) override { return record("chroot"); }
  Status sethostname(const std::string& n) override { return record("sethostname " + n); }
  Status setdomainname(const std::string& n) override { return record("setdomainname " + n); }

 private:
  Status record(std::string line) {
    calls.push_back(std::move(line));
    return {};
  }
};

}  // namespace vigil::internal
