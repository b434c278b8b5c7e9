#include "runtime/cgroup/cgroup.hpp"

#include "runtime/cgroup/systemd/manager.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <thread>

#include "runtime/base/file.hpp"
#include "runtime/base/unique_fd.hpp"
#include "runtime/cgroup/device_filter.hpp"
#include "runtime/cgroup/translate.hpp"

namespace vigil::cgroup {
namespace {

constexpr auto kWaitLimit = std::chrono::seconds(10);
constexpr auto kPollInterval = std::chrono::milliseconds(2);

bool has_word(const std::string& list, const std::string& word, char sep) {
  std::istringstream in(list);
  std::string w;
  while (std::getline(in, w, sep)) {
    while (!w.empty() && (w.back() == '\n' || w.back() == ' ')) w.pop_back();
    if (w == word) return true;
  }
  return false;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Polls `done` until it holds or the bound passes: cgroup files have no change notification on v1.
template <class F>
bool wait_until(F done) {
  auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
  return true;
}

Result<std::string> normalize(const std::string& p) {
  std::string out;
  std::istringstream in(p);
  std::string part;
  while (std::getline(in, part, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") return Error(EINVAL, "cgroupsPath " + p + " must not contain \"..\"");
    out += "/" + part;
  }
  return out;
}

// v1 cpusets start empty, and a process cannot join an empty one: inherit the parent's.
Status init_cpuset(const std::string& dir) {
  for (const char* file : {"cpuset.cpus", "cpuset.mems"}) {
    auto mine = read_file(dir + "/" + file);
    if (mine && !trimmed(*mine).empty()) continue;
    auto parent = TRY(read_file(dir.substr(0, dir.find_last_of('/')) + "/" + file));
    TRY(write_file(dir + "/" + file, trimmed(parent)));
  }
  return {};
}

std::string basename_of(const std::string& p) { return p.substr(p.find_last_of('/') + 1); }

}  // namespace

Result<Cgroup> Cgroup::plan(const std::vector<Hierarchy>& hs, const std::string& cgroups_path, const std::string& id,
                            bool systemd) {
  Cgroup cg;
  if (systemd) {
    if (hs.size() != 1 || !hs[0].v2)
      return Error(ENOTSUP, "--systemd-cgroup: vigil's systemd driver needs a host with cgroup v2 alone");
    cg.unit_ = TRY(systemd::unit_name(cgroups_path, id));
    cg.dirs_.push_back({hs[0], hs[0].mount_point + cg.unit_->cgroup_path(), {}});
    return cg;
  }
  if (!cgroups_path.empty() && cgroups_path[0] != '/' && cgroups_path.find(':') != std::string::npos)
    return Error(EINVAL, "cgroupsPath " + cgroups_path + " is in systemd's slice:prefix:name form: it needs --systemd-cgroup");
  bool absolute = cgroups_path.empty() || cgroups_path[0] == '/';
  // The default parent /vigil is vigil's own: the last container to go removes it.
  cg.owned_ = cgroups_path.empty() ? "/vigil" : "";
  std::string rel = TRY(normalize(cgroups_path.empty() ? "/vigil/" + id : cgroups_path));
  if (rel.empty()) return Error(EINVAL, "cgroupsPath must name a cgroup below the root");
  for (const auto& h : hs) {
    std::string base = absolute || h.path == "/" ? h.mount_point : h.mount_point + h.path;
    cg.dirs_.push_back({h, base + rel, {}});
  }
  return cg;
}

Status Cgroup::create() {
  if (unit_) return {};
  for (auto& d : dirs_) {
    const std::string& mp = d.hierarchy.mount_point;
    size_t pos = mp.size();
    int restarts = 0;
    while (pos < d.path.size()) {
      size_t next = d.path.find('/', pos + 1);
      if (next == std::string::npos) next = d.path.size();
      std::string level = d.path.substr(0, next);
      bool owned = !owned_.empty() && level == mp + owned_;
      if (::mkdir(level.c_str(), 0755) == 0 || (owned && errno == EEXIST)) {
        if (std::find(d.created.begin(), d.created.end(), level) == d.created.end()) d.created.push_back(level);
        if (d.hierarchy.controllers.find("cpuset") != std::string::npos && !d.hierarchy.v2)
          TRY_CTX(init_cpuset(level), "cgroup " + level);
      } else if (errno == ENOENT && restarts++ < 10) {
        // Another container's delete removed a shared parent (/vigil) just now: walk again.
        pos = mp.size();
        continue;
      } else if (errno != EEXIST) {
        return Error::from_errno("mkdir " + level);
      }
      pos = next;
    }
  }
  return {};
}

namespace {

// v1's blkio is v2's io.
std::string v2_name(const std::string& controller) { return controller == "blkio" ? "io" : controller; }

}  // namespace

const Dir* Cgroup::find(const std::string& controller) const {
  for (const auto& d : dirs_)
    if (!d.hierarchy.v2 && has_word(d.hierarchy.controllers, controller, ',')) return &d;
  for (const auto& d : dirs_) {
    if (!d.hierarchy.v2) continue;
    auto available = read_file(d.hierarchy.mount_point + "/cgroup.controllers");
    if (available && has_word(*available, v2_name(controller), ' ')) return &d;
  }
  return nullptr;
}

Status Cgroup::enable_v2(const Dir& d, const std::string& v1_name) const {
  std::string controller = v2_name(v1_name);
  // On a host of v2 alone the parents are the host's (or systemd's), and a controller they do
  // not pass down is enabled there, as runc and crun do. Beside v1 hierarchies, the unified one
  // is left as it is: what it lacks is the host's to delegate.
  bool v2_alone = dirs_.size() == 1;
  std::string level = d.hierarchy.mount_point;
  size_t pos = level.size();
  while (pos < d.path.size()) {
    std::string control = level + "/cgroup.subtree_control";
    if (!has_word(read_file(control).value_or(""), controller, ' ')) {
      bool ours = v2_alone;
      for (const auto& c : d.created) ours |= c == level;
      if (!ours)
        return Error(EPERM, "the " + controller + " controller is not delegated by " + control +
                                ", a cgroup vigil did not create; enable it there (+" + controller + ")");
      TRY_CTX(write_file(control, "+" + controller), "enable the " + controller + " controller in " + control);
    }
    size_t next = d.path.find('/', pos + 1);
    if (next == std::string::npos) break;
    level = d.path.substr(0, next);
    pos = next;
  }
  return {};
}

Status Cgroup::apply_device_filter(const std::vector<DeviceRule>& rules) const {
  for (const auto& d : dirs_) {
    if (!d.hierarchy.v2) continue;
    auto dir = TRY(open_fd(d.path, O_RDONLY | O_DIRECTORY));
    auto prog = TRY(load_device_filter(compile_device_filter(rules)));
    return with_context(attach_device_filter(dir.get(), prog.get()), "cgroup " + d.path);
  }
  return Error(ENOENT, "no devices controller and no cgroup v2 hierarchy: cannot apply linux.resources.devices");
}

Status Cgroup::apply(const Resources& r, std::vector<std::string>* warnings) {
  auto where = [&](const std::string& c) {
    const Dir* d = find(c);
    return d ? (d->hierarchy.v2 ? Where::v2 : Where::v1) : Where::absent;
  };
  auto writes = TRY(translate(r, where));
  std::vector<Write> retry;
  for (const auto& w : writes) {
    const Dir* d = find(w.controller);
    if (d->hierarchy.v2) TRY(enable_v2(*d, w.controller));
    std::string file = d->path + "/" + w.file;
    auto st = write_file(file, w.value);
    if (st) continue;
    int err = st.error().code();
    if (w.optional && (err == ENOENT || err == EOPNOTSUPP || err == EINVAL)) {
      if (warnings) warnings->push_back("skipping " + w.file + " = " + w.value + ": this host does not support it");
    } else if (err == ENOENT) {
      return Error(ENOENT, "the host's " + w.controller + " controller has no " + w.file + " (" + file + ")");
    } else if (err == EINVAL || err == EBUSY) {
      // Limits that must stay ordered (memory below memory+swap) may need the other one first.
      retry.push_back(w);
    } else {
      return std::move(st).error().context("set " + w.file + " to " + w.value);
    }
  }
  for (const auto& w : retry)
    TRY_CTX(write_file(find(w.controller)->path + "/" + w.file, w.value), "set " + w.file + " to " + w.value);
  if (!r.devices.empty() && !find("devices")) TRY(apply_device_filter(r.devices));
  return {};
}

Status Cgroup::join(pid_t pid) const {
  for (const auto& d : dirs_) TRY_CTX(write_file(d.path + "/cgroup.procs", std::to_string(pid)), "join cgroup");
  return {};
}

namespace {

std::vector<std::string> subdirectories(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_directory(ec) && !e.is_symlink(ec)) out.push_back(e.path().filename());
  return out;
}

// Innermost first; what still has processes stays (and its parent with it).
void remove_subcgroups(const std::string& dir) {
  for (const auto& child : subdirectories(dir)) {
    remove_subcgroups(dir + "/" + child);
    ::rmdir((dir + "/" + child).c_str());
  }
}

bool carries(const Hierarchy& h, const std::string& controller) {
  if (h.v2) return controller == "unified";
  std::string list = "," + h.controllers + ",";
  return list.find("," + controller + ",") != std::string::npos;
}

// A path below the container's cgroup: relative, without "..".
Result<std::string> clean_sub(const std::string& sub, const std::string& spec) {
  std::string out;
  size_t i = 0;
  while (i <= sub.size()) {
    size_t j = sub.find('/', i);
    if (j == std::string::npos) j = sub.size();
    std::string part = sub.substr(i, j - i);
    if (part == "..") return Error(EINVAL, "--cgroup " + spec + ": must stay below the container's cgroup");
    if (!part.empty() && part != ".") out += "/" + part;
    i = j + 1;
  }
  if (out.empty()) return Error(EINVAL, "--cgroup " + spec + ": names no sub-cgroup");
  return out;
}

}  // namespace

Result<Cgroup> Cgroup::sub_cgroup(const std::vector<std::string>& specs) const {
  Cgroup out;
  out.dirs_ = dirs_;
  for (auto& d : out.dirs_) d.created.clear();
  std::vector<bool> named(dirs_.size(), false);
  // Specs with controllers first, so they win over a bare SUB whatever the order.
  for (bool with_controllers : {true, false})
    for (const auto& spec : specs) {
      auto colon = spec.find(':');
      if ((colon != std::string::npos) != with_controllers) continue;
      std::string sub = TRY(clean_sub(with_controllers ? spec.substr(colon + 1) : spec, spec));
      std::vector<std::string> controllers;
      if (with_controllers) {
        std::istringstream in(spec.substr(0, colon));
        for (std::string c; std::getline(in, c, ',');) controllers.push_back(c);
      }
      for (const auto& c : controllers) {
        bool found = false;
        for (const auto& d : dirs_) found |= carries(d.hierarchy, c);
        if (!found) return Error(EINVAL, "--cgroup " + spec + ": no cgroup hierarchy carries " + c);
      }
      for (size_t i = 0; i < dirs_.size(); i++) {
        bool match = !with_controllers ? !named[i] : false;
        for (const auto& c : controllers) match |= carries(dirs_[i].hierarchy, c);
        if (!match) continue;
        named[i] = true;
        out.dirs_[i].path = dirs_[i].path + sub;
        struct stat st;
        if (::stat(out.dirs_[i].path.c_str(), &st) < 0 || !S_ISDIR(st.st_mode))
          return Error(ENOENT, "--cgroup " + spec + ": " + out.dirs_[i].path + " does not exist");
      }
    }
  return out;
}

namespace {

Status collect_pids(int dir, std::vector<pid_t>& out) {
  unique_fd procs(::openat(dir, "cgroup.procs", O_RDONLY | O_CLOEXEC));
  // A cgroup removed already (by an administrator, or a cleanup that ran first) holds nobody.
  if (!procs) return errno == ENOENT ? Status{} : Error::from_errno("open cgroup.procs");
  std::istringstream in(TRY(read_fd(procs.get())));
  for (pid_t p; in >> p;) out.push_back(p);
  // cgroup.procs lists a cgroup's own members only: sub-cgroups (exec --cgroup, or made by
  // the container itself) are walked too.
  unique_fd listing(::openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!listing) return errno == ENOENT ? Status{} : Error::from_errno("open a cgroup directory");
  DIR* d = ::fdopendir(listing.release());
  if (!d) return Error::from_errno("open a cgroup directory");
  std::vector<std::string> subs;
  while (dirent* e = ::readdir(d))
    if (e->d_type == DT_DIR && std::strcmp(e->d_name, ".") && std::strcmp(e->d_name, "..")) subs.push_back(e->d_name);
  ::closedir(d);
  for (const auto& s : subs) {
    unique_fd sub(::openat(dir, s.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (sub) TRY(collect_pids(sub.get(), out));
  }
  return {};
}

}  // namespace

Result<std::vector<pid_t>> pids_at(int dir) {
  std::vector<pid_t> out;
  TRY(collect_pids(dir, out));
  return out;
}

Result<std::vector<pid_t>> Cgroup::pids() const {
  if (dirs_.empty()) return std::vector<pid_t>{};
  unique_fd dir(::open(dirs_.front().path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return errno == ENOENT ? Result<std::vector<pid_t>>(std::vector<pid_t>{}) : Error::from_errno("open " + dirs_.front().path);
  return pids_at(dir.get());
}

bool Cgroup::contains(pid_t pid) const {
  if (dirs_.empty()) return false;
  const Dir& d = dirs_.front();
  std::string rel = d.path.substr(d.hierarchy.mount_point.size());
  auto text = read_file("/proc/" + std::to_string(pid) + "/cgroup");
  if (!text) return false;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    auto a = line.find(':'), b = line.find(':', a + 1);
    if (b == std::string::npos) continue;
    std::string ctrls = line.substr(a + 1, b - a - 1);
    bool same_hierarchy = d.hierarchy.v2 ? ctrls.empty() : ctrls == d.hierarchy.controllers;
    if (same_hierarchy) return line.substr(b + 1) == rel;
  }
  return false;
}

bool Cgroup::kill_all() const {
  for (const auto& d : dirs_)
    if (d.hierarchy.v2 && write_file(d.path + "/cgroup.kill", "1").ok()) return true;
  return false;
}

Status Cgroup::freeze(bool frozen) const {
  if (const Dir* d = find("freezer")) {
    std::string file = d->path + "/freezer.state";
    TRY(write_file(file, frozen ? "FROZEN" : "THAWED"));
    // A cgroup removed meanwhile (a failed create's) ends the wait at once.
    bool gone = false;
    bool reached = wait_until([&] {
      auto state = read_file(file);
      gone = !state;
      return gone || trimmed(*state) == (frozen ? "FROZEN" : "THAWED");
    });
    if (gone) return Error(ENOENT, "the cgroup is gone");
    if (!reached) return Error(ETIMEDOUT, "the freezer did not reach " + std::string(frozen ? "FROZEN" : "THAWED"));
    return {};
  }
  for (const auto& d : dirs_) {
    if (!d.hierarchy.v2 || ::access((d.path + "/cgroup.freeze").c_str(), F_OK) != 0) continue;
    TRY(write_file(d.path + "/cgroup.freeze", frozen ? "1" : "0"));
    std::string want = frozen ? "frozen 1" : "frozen 0";
    bool gone = false;
    bool reached = wait_until([&] {
      auto events = read_file(d.path + "/cgroup.events");
      gone = !events;
      return gone || events->find(want) != std::string::npos;
    });
    if (gone) return Error(ENOENT, "the cgroup is gone");
    if (!reached) return Error(ETIMEDOUT, "the cgroup did not become " + std::string(frozen ? "frozen" : "thawed"));
    return {};
  }
  return Error(ENOTSUP, "no freezer: neither the v1 freezer controller nor cgroup.freeze is available");
}

bool Cgroup::frozen() const {
  if (const Dir* d = find("freezer")) return trimmed(read_file(d->path + "/freezer.state").value_or("")) == "FROZEN";
  for (const auto& d : dirs_)
    if (d.hierarchy.v2 && read_file(d.path + "/cgroup.events").value_or("").find("frozen 1") != std::string::npos)
      return true;
  return false;
}

Status Cgroup::start_scope(pid_t pid, const Resources& r, std::vector<std::string>* warnings) {
  auto manager = TRY(systemd::Manager::connect());
  TRY(manager.start_scope(*unit_, pid, TRY(systemd::resource_properties(r))));
  return apply(r, warnings);
}

Status Cgroup::update(const Resources& r, std::vector<std::string>* warnings) {
  TRY(apply(r, warnings));
  if (!unit_) return {};
  auto manager = TRY(systemd::Manager::connect());
  return manager.set_properties(unit_->unit, TRY(systemd::resource_properties(r)));
}

Status Cgroup::destroy() {
  if (unit_) {
    // Its cgroup is systemd's to remove, once the scope's processes are gone.
    auto manager = TRY(systemd::Manager::connect());
    return manager.stop(unit_->unit);
  }
  for (auto& d : dirs_) {
    for (auto it = d.created.rbegin(); it != d.created.rend(); ++it) {
      const std::string& level = *it;
      if (level != d.path) {
        // A parent we made (/vigil) may hold other containers' cgroups by now: theirs to remove.
        if (::rmdir(level.c_str()) < 0 && errno != ENOENT && errno != EBUSY && errno != ENOTEMPTY)
          return Error::from_errno("remove cgroup " + level);
        continue;
      }
      // Processes leave a cgroup a moment after they die; give them that moment. Sub-cgroups
      // are the container's own and go with it.
      bool gone = wait_until([&] {
        remove_subcgroups(level);
        return ::rmdir(level.c_str()) == 0 || errno == ENOENT;
      });
      if (!gone) return Error::from_errno("remove cgroup " + level + " (processes still in it?)");
    }
    d.created.clear();
  }
  return {};
}

std::vector<CgroupBind> Cgroup::binds() const {
  std::vector<CgroupBind> out;
  bool pure_v2 = dirs_.size() == 1 && dirs_[0].hierarchy.v2;
  for (const auto& d : dirs_) out.push_back({pure_v2 ? "" : basename_of(d.hierarchy.mount_point), d.path});
  return out;
}

nlohmann::json Cgroup::to_json() const {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& d : dirs_) {
    a.push_back({{"mountPoint", d.hierarchy.mount_point},
                 {"v2", d.hierarchy.v2},
                 {"controllers", d.hierarchy.controllers},
                 {"path", d.path},
                 {"created", d.created}});
    if (unit_) a.back()["systemd"] = {{"slice", unit_->slice}, {"unit", unit_->unit}};
  }
  return a;
}

Result<Cgroup> Cgroup::from_json(const nlohmann::json& j) {
  Cgroup cg;
  try {
    for (const auto& e : j) {
      Dir d;
      d.hierarchy.mount_point = e.at("mountPoint");
      d.hierarchy.v2 = e.at("v2");
      d.hierarchy.controllers = e.at("controllers");
      d.path = e.at("path");
      d.created = e.at("created").get<std::vector<std::string>>();
      if (e.contains("systemd")) cg.unit_ = systemd::UnitName{e.at("systemd").at("slice"), e.at("systemd").at("unit")};
      cg.dirs_.push_back(std::move(d));
    }
  } catch (const nlohmann::json::exception& e) {
    return Error(EINVAL, std::string("corrupt cgroup state: ") + e.what());
  }
  return cg;
}

}  // namespace vigil::cgroup
