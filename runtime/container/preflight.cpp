#include "runtime/container/preflight.hpp"

#include <sys/stat.h>

#include "runtime/base/file.hpp"
#include "runtime/terminal/console_socket.hpp"

namespace vigil {
namespace {

bool lsm_enabled(const std::string& name) {
  auto lsms = read_file("/sys/kernel/security/lsm");
  if (!lsms) return false;
  std::string list = "," + *lsms + ",";
  if (!list.empty() && list[list.size() - 2] == '\n') list.erase(list.size() - 2, 1);
  return list.find("," + name + ",") != std::string::npos;
}

// Without a mount namespace of its own the container shares the caller's, and everything
// the rootfs setup mounts or creates would be done there, and outlive the container: only
// a config that needs none of it runs, chrooted into its rootfs (as runc runs it).
Status check_without_mount_ns(const oci::Spec& spec) {
  auto refuse = [](const std::string& what) {
    return Error(EINVAL, "config.json: " + what +
                             " needs a mount namespace of the container's own (linux.namespaces has none): "
                             "without one it would change the caller's mounts");
  };
  if (!spec.mounts.empty()) return refuse("mounts");
  if (!spec.linux.masked_paths.empty()) return refuse("linux.maskedPaths");
  if (!spec.linux.readonly_paths.empty()) return refuse("linux.readonlyPaths");
  if (!spec.linux.devices.empty()) return refuse("linux.devices");
  if (!spec.linux.rootfs_propagation.empty()) return refuse("linux.rootfsPropagation");
  if (spec.root.readonly) return refuse("root.readonly");
  return {};
}

}  // namespace

Status preflight(const oci::Spec& spec, const std::string& rootfs, const std::string& console_socket, bool detached) {
  if (!spec.process) return Error(EINVAL, "config.json: process is required to create a container");
  const auto& proc = *spec.process;
  TRY(check_terminal_options(proc.terminal, detached, console_socket));
  if (!spec.linux.has(oci::NamespaceType::mount)) TRY(check_without_mount_ns(spec));
  TRY(check_lsm_labels(spec));
  struct stat st;
  if (::stat(rootfs.c_str(), &st) < 0) return Error::from_errno("rootfs " + rootfs);
  if (!S_ISDIR(st.st_mode)) return Error(ENOTDIR, "rootfs " + rootfs + " is not a directory");
  return {};
}

Status check_lsm_labels(const oci::Spec& spec) {
  const auto& proc = *spec.process;
  if (!proc.apparmor_profile.empty() && !lsm_enabled("apparmor"))
    return Error(ENOTSUP, "config.json: process.apparmorProfile is set but AppArmor is not enabled on this host");
  if (!proc.selinux_label.empty() && !lsm_enabled("selinux"))
    return Error(ENOTSUP, "config.json: process.selinuxLabel is set but SELinux is not enabled on this host");
  if (!spec.linux.mount_label.empty() && !lsm_enabled("selinux"))
    return Error(ENOTSUP, "config.json: linux.mountLabel is set but SELinux is not enabled on this host");
  if (!proc.apparmor_profile.empty() || !proc.selinux_label.empty())
    return Error(ENOTSUP, "config.json: applying LSM labels is not supported by this version of vigil");
  return {};
}

}  // namespace vigil
