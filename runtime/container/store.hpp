// <root>/<id>/: one directory per container, holding state.json and the exec fifo.
// Every command that changes a container holds an exclusive flock on its directory, so
// concurrent commands on one container are serialized and never see half a state.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oci/state.hpp"
#include "runtime/base/error.hpp"
#include "runtime/base/unique_fd.hpp"

namespace vigil {

class ContainerDir {
 public:
  // Makes <root>/<id> (and root) and locks it; fails if the id is taken.
  static Result<ContainerDir> create(const std::string& root, const std::string& id);
  // Locks an existing container; "container ID does not exist" otherwise.
  static Result<ContainerDir> open(const std::string& root, const std::string& id, bool lock = true);

  ContainerDir(ContainerDir&&) = default;
  ContainerDir& operator=(ContainerDir&&) = default;

  const std::string& path() const { return path_; }
  const std::string& id() const { return id_; }
  std::string fifo_path() const { return path_ + "/exec.fifo"; }
  std::string exec_done_path() const { return path_ + "/exec.done"; }
  std::string policy_path() const { return path_ + "/policy.json"; }
  // The supervisor's decisions (supervisor/audit.hpp), one JSON line each.
  std::string audit_path() const { return path_ + "/audit.log"; }
  Result<oci::ContainerState> load() const;
  Status save(const oci::ContainerState& s) const;
  // Removes the directory and all in it; the lock goes with it.
  Status remove();

 private:
  ContainerDir(std::string path, std::string id, unique_fd fd) : path_(std::move(path)), id_(std::move(id)), fd_(std::move(fd)) {}
  std::string path_;
  std::string id_;
  unique_fd fd_;
};

std::vector<std::string> list_container_ids(const std::string& root);
// Removes <root>/<id> when it has no state.json (a create that died half-way), as runc does.
Status remove_stray(const std::string& root, const std::string& id);

}  // namespace vigil
