#include "runtime/rootfs/mount_options.hpp"

#include <linux/mount.h>
#include <sys/mount.h>

#include <map>

namespace vigil {
namespace {

struct AttrOption {
  uint64_t bit;
  bool clear;  // "rw", "suid", ... clear the bit
};

// Access-time modes are one field of three values, not independent bits.
constexpr uint64_t kAtimeModes = MOUNT_ATTR__ATIME;

const std::map<std::string, AttrOption>& attr_options() {
  static const std::map<std::string, AttrOption> m = {
      {"ro", {MOUNT_ATTR_RDONLY, false}},          {"rw", {MOUNT_ATTR_RDONLY, true}},
      {"nosuid", {MOUNT_ATTR_NOSUID, false}},      {"suid", {MOUNT_ATTR_NOSUID, true}},
      {"nodev", {MOUNT_ATTR_NODEV, false}},        {"dev", {MOUNT_ATTR_NODEV, true}},
      {"noexec", {MOUNT_ATTR_NOEXEC, false}},      {"exec", {MOUNT_ATTR_NOEXEC, true}},
      {"nodiratime", {MOUNT_ATTR_NODIRATIME, false}}, {"diratime", {MOUNT_ATTR_NODIRATIME, true}},
      {"nosymfollow", {MOUNT_ATTR_NOSYMFOLLOW, false}}, {"symfollow", {MOUNT_ATTR_NOSYMFOLLOW, true}},
      {"noatime", {MOUNT_ATTR_NOATIME, false}},    {"atime", {MOUNT_ATTR_NOATIME, true}},
      {"relatime", {MOUNT_ATTR_RELATIME, false}},  {"norelatime", {MOUNT_ATTR_RELATIME, true}},
      {"strictatime", {MOUNT_ATTR_STRICTATIME, false}}, {"nostrictatime", {MOUNT_ATTR_STRICTATIME, true}},
  };
  return m;
}

const std::map<std::string, uint64_t>& propagation_options() {
  static const std::map<std::string, uint64_t> m = {
      {"shared", MS_SHARED}, {"slave", MS_SLAVE}, {"private", MS_PRIVATE}, {"unbindable", MS_UNBINDABLE}};
  return m;
}

// Superblock flags fsconfig takes by name.
bool is_sb_flag(const std::string& o) {
  return o == "sync" || o == "async" || o == "dirsync" || o == "mand" || o == "nomand" || o == "lazytime" ||
         o == "nolazytime" || o == "silent" || o == "loud";
}

void apply(MountAttr& a, const AttrOption& opt) {
  uint64_t bit = opt.bit;
  bool is_atime = bit == MOUNT_ATTR_NOATIME || bit == MOUNT_ATTR_RELATIME || bit == MOUNT_ATTR_STRICTATIME;
  if (is_atime) {
    a.clr |= kAtimeModes;
    a.set &= ~kAtimeModes;
    // Clearing one mode ("atime", "norelatime") falls back to relatime, the kernel default.
    a.set |= opt.clear ? MOUNT_ATTR_RELATIME : bit;
    return;
  }
  if (opt.clear) {
    a.set &= ~bit;
    a.clr |= bit;
  } else {
    a.clr &= ~bit;
    a.set |= bit;
  }
}

}  // namespace

Result<MountOptions> parse_mount_options(const std::vector<std::string>& options) {
  MountOptions out;
  out.rec_attr.recursive = true;
  for (const auto& o : options) {
    if (o == "bind") {
      out.bind = true;
    } else if (o == "rbind") {
      out.bind = out.recursive = true;
    } else if (auto it = attr_options().find(o); it != attr_options().end()) {
      apply(out.attr, it->second);
    } else if (o.size() > 1 && o[0] == 'r' && attr_options().count(o.substr(1))) {
      apply(out.rec_attr, attr_options().at(o.substr(1)));
    } else if (auto p = propagation_options().find(o); p != propagation_options().end()) {
      out.propagation = p->second;
      out.rec_propagation = false;
    } else if (o.size() > 1 && o[0] == 'r' && propagation_options().count(o.substr(1))) {
      out.propagation = propagation_options().at(o.substr(1));
      out.rec_propagation = true;
    } else if (o == "idmap" || o == "ridmap") {
      return Error(ENOTSUP, "mount option " + o + " is not supported");
    } else if (o == "tmpcopyup" || o == "notmpcopyup") {
      out.tmpcopyup = o == "tmpcopyup";
    } else if (o == "defaults" || o == "remount" || o.rfind("x-", 0) == 0) {
      // Nothing to do: "defaults" sets nothing, "remount" is implied, x-* are for userspace tools.
    } else if (is_sb_flag(o)) {
      out.fs.emplace_back(o, "");
    } else if (auto eq = o.find('='); eq != std::string::npos) {
      out.fs.emplace_back(o.substr(0, eq), o.substr(eq + 1));
    } else {
      out.fs.emplace_back(o, "");
    }
  }
  return out;
}

}  // namespace vigil
