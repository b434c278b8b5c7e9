#include "runtime/namespaces/namespaces.hpp"

#include <fcntl.h>
#include <sched.h>

#include "runtime/base/file.hpp"

namespace vigil {

namespace {

Status join(const oci::Namespace& ns) {
  auto fd = TRY_CTX(open_fd(ns.path, O_RDONLY), std::string("join ") + oci::namespace_name(ns.type) + " namespace");
  if (::setns(fd.get(), oci::namespace_clone_flag(ns.type)) < 0)
    return Error::from_errno(std::string("setns ") + oci::namespace_name(ns.type) + " " + ns.path);
  return {};
}

}  // namespace

Status join_namespaces(const oci::Linux& linux) {
  if (const auto* user = linux.find(oci::NamespaceType::user); user && !user->path.empty()) TRY(join(*user));
  for (const auto& ns : linux.namespaces)
    if (ns.type != oci::NamespaceType::user && !ns.path.empty()) TRY(join(ns));
  return {};
}

bool wants_new_userns(const oci::Linux& linux) {
  const auto* user = linux.find(oci::NamespaceType::user);
  return user && user->path.empty();
}

int unshare_flags(const oci::Linux& linux) {
  int flags = 0;
  for (const auto& ns : linux.namespaces)
    if (ns.path.empty() && ns.type != oci::NamespaceType::user) flags |= oci::namespace_clone_flag(ns.type);
  return flags;
}

bool wants_new_time_ns(const oci::Linux& linux) {
  const auto* t = linux.find(oci::NamespaceType::time);
  return t && t->path.empty();
}

Status write_time_offsets(pid_t pid, const oci::Linux& linux) {
  std::string text;
  for (const auto& [clock, off] : linux.time_offsets)
    text += clock + " " + std::to_string(off.secs) + " " + std::to_string(off.nanosecs) + "\n";
  if (text.empty()) return {};
  return write_file("/proc/" + (pid ? std::to_string(pid) : std::string("self")) + "/timens_offsets", text);
}

std::string format_id_map(const std::vector<oci::IdMapping>& m) {
  std::string out;
  for (const auto& e : m)
    out += std::to_string(e.container_id) + " " + std::to_string(e.host_id) + " " + std::to_string(e.size) + "\n";
  return out;
}

Status write_id_maps(pid_t pid, const oci::Linux& linux) {
  std::string dir = "/proc/" + std::to_string(pid) + "/";
  TRY(write_file(dir + "uid_map", format_id_map(linux.uid_mappings)));
  TRY(write_file(dir + "gid_map", format_id_map(linux.gid_mappings)));
  if (wants_new_time_ns(linux)) TRY(write_time_offsets(pid, linux));
  return {};
}

}  // namespace vigil
