#include "oci/state.hpp"

#include <optional>
#include <utility>

#include "runtime/base/json_parse.hpp"

namespace vigil::oci {

nlohmann::json to_json(const ContainerState& s) {
  return {{"ociVersion", s.oci_version}, {"id", s.id},           {"pid", s.pid},
          {"startTime", s.start_time},   {"bundle", s.bundle},   {"rootfs", s.rootfs},
          {"created", s.created},        {"owner", s.owner},     {"annotations", s.annotations},
          {"cgroup", s.cgroup},          {"hooks", s.hooks},     {"supervisorPid", s.supervisor_pid},
          {"supervisorStart", s.supervisor_start}};
}

namespace {

// The integer at `key` if there is one and it fits T: nlohmann would convert 4e36 to an
// int (undefined behaviour), or -1 to an unsigned one.
template <class T>
std::optional<T> integer_at(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  if (it->is_number_unsigned()) {
    auto u = it->get<uint64_t>();
    return std::in_range<T>(u) ? std::optional<T>(T(u)) : std::nullopt;
  }
  auto i = it->get<int64_t>();
  return std::in_range<T>(i) ? std::optional<T>(T(i)) : std::nullopt;
}

}  // namespace

Result<ContainerState> state_from_json(const std::string& text) {
  auto j = TRY_CTX(parse_json(text, "state.json"), "corrupt state");
  if (!j.is_object()) return Error(EINVAL, "corrupt state.json: not an object");
  ContainerState s;
  auto pid = integer_at<pid_t>(j, "pid");
  auto start = integer_at<uint64_t>(j, "startTime");
  // Pids are not negative (kill(-1) would reach every process); the supervisor's are absent
  // in the state of a container that is not supervised.
  auto sup_pid = j.contains("supervisorPid") ? integer_at<pid_t>(j, "supervisorPid") : pid_t(0);
  auto sup_start = j.contains("supervisorStart") ? integer_at<uint64_t>(j, "supervisorStart") : uint64_t(0);
  if (!pid || *pid < 0 || !start || !sup_pid || *sup_pid < 0 || !sup_start)
    return Error(EINVAL, "corrupt state.json: pid, startTime, supervisorPid and supervisorStart must be integers >= 0");
  s.pid = *pid;
  s.start_time = *start;
  s.supervisor_pid = *sup_pid;
  s.supervisor_start = *sup_start;
  try {
    s.oci_version = j.at("ociVersion");
    s.id = j.at("id");
    s.bundle = j.at("bundle");
    s.rootfs = j.at("rootfs");
    s.created = j.at("created");
    s.owner = j.at("owner");
    s.annotations = j.at("annotations").get<std::map<std::string, std::string>>();
    s.cgroup = j.value("cgroup", nlohmann::json::array());
    s.hooks = j.value("hooks", nlohmann::json());
    return s;
  } catch (const nlohmann::json::exception& e) {
    return Error(EINVAL, std::string("corrupt state.json: ") + e.what());
  }
}

nlohmann::json public_state(const ContainerState& s, const std::string& status) {
  nlohmann::json j = {{"ociVersion", s.oci_version}, {"id", s.id},         {"status", status},
                      {"pid", status == "stopped" ? 0 : s.pid}, {"bundle", s.bundle}, {"rootfs", s.rootfs},
                      {"created", s.created},       {"owner", s.owner}};
  if (!s.annotations.empty()) j["annotations"] = s.annotations;
  return j;
}

}  // namespace vigil::oci
