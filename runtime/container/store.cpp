#include "runtime/container/store.hpp"

#include <dirent.h>
#include <algorithm>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oci/container_id.hpp"
#include "runtime/base/file.hpp"

namespace vigil {
namespace {

Status mkdir_p(const std::string& path, mode_t mode) {
  if (::mkdir(path.c_str(), mode) == 0 || errno == EEXIST) return {};
  if (errno != ENOENT) return Error::from_errno("mkdir " + path);
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos || slash == 0) return Error::from_errno("mkdir " + path);
  TRY(mkdir_p(path.substr(0, slash), 0755));
  if (::mkdir(path.c_str(), mode) < 0 && errno != EEXIST) return Error::from_errno("mkdir " + path);
  return {};
}

Result<unique_fd> lock_dir(const std::string& path) {
  auto fd = TRY(open_fd(path, O_RDONLY | O_DIRECTORY));
  while (::flock(fd.get(), LOCK_EX) < 0)
    if (errno != EINTR) return Error::from_errno("lock " + path);
  return fd;
}

Error no_such(const std::string& id) { return Error(ENOENT, "container " + id + " does not exist"); }

// A container directory holds only files: remove them, then it.
Status remove_dir_files(const std::string& path) {
  auto dir = TRY(open_fd(path, O_RDONLY | O_DIRECTORY));
  DIR* d = ::fdopendir(dir.release());
  if (!d) return Error::from_errno("opendir " + path);
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    if (::unlinkat(::dirfd(d), name.c_str(), 0) < 0 && errno != ENOENT) {
      auto err = Error::from_errno("remove " + path + "/" + name);
      ::closedir(d);
      return err;
    }
  }
  ::closedir(d);
  if (::rmdir(path.c_str()) < 0 && errno != ENOENT) return Error::from_errno("rmdir " + path);
  return {};
}

}  // namespace

Result<ContainerDir> ContainerDir::create(const std::string& root, const std::string& id) {
  TRY(oci::validate_container_id(id));
  TRY(mkdir_p(root, 0711));
  std::string path = root + "/" + oci::id_file_name(id);
  if (::mkdir(path.c_str(), 0700) < 0) {
    if (errno == EEXIST) return Error(EEXIST, "container " + id + " already exists");
    return Error::from_errno("mkdir " + path);
  }
  auto fd = lock_dir(path);
  if (!fd) {
    ::rmdir(path.c_str());
    return std::move(fd).error();
  }
  return ContainerDir(path, id, std::move(*fd));
}

Result<ContainerDir> ContainerDir::open(const std::string& root, const std::string& id, bool lock) {
  // Every command checks the id: "../x" must never name a directory outside the root.
  TRY(oci::validate_container_id(id));
  std::string path = root + "/" + oci::id_file_name(id);
  auto fd = lock ? lock_dir(path) : open_fd(path, O_RDONLY | O_DIRECTORY);
  if (!fd) {
    if (fd.error().code() == ENOENT) return no_such(id);
    return std::move(fd).error();
  }
  // A delete that held the lock before us removed everything; so did a create that failed.
  if (::faccessat(fd->get(), "state.json", F_OK, 0) < 0) return no_such(id);
  return ContainerDir(path, id, std::move(*fd));
}

Result<oci::ContainerState> ContainerDir::load() const {
  auto text = read_file(path_ + "/state.json");
  if (!text) {
    if (text.error().code() == ENOENT) return no_such(id_);
    return std::move(text).error();
  }
  auto state = TRY(oci::state_from_json(*text));
  if (state.id != id_) return no_such(id_);  // a long id whose shortened name is another's
  return state;
}

Status remove_stray(const std::string& root, const std::string& id) {
  TRY(oci::validate_container_id(id));
  std::string path = root + "/" + oci::id_file_name(id);
  if (::access((path + "/state.json").c_str(), F_OK) == 0 || ::access(path.c_str(), F_OK) != 0) return {};
  return remove_dir_files(path);
}

Status ContainerDir::save(const oci::ContainerState& s) const {
  return write_file_atomic(path_ + "/state.json", to_json(s).dump(), 0600);
}

Status ContainerDir::remove() { return remove_dir_files(path_); }

std::vector<std::string> list_container_ids(const std::string& root) {
  std::vector<std::string> out;
  DIR* d = ::opendir(root.c_str());
  if (!d) return out;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    // The directory name may be a shortened id (id_file_name); state.json has the real one.
    auto text = read_file(root + "/" + name + "/state.json");
    if (!text) continue;
    if (auto state = oci::state_from_json(*text)) out.push_back(state->id);
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace vigil
