#include "oci/state.hpp"

#include "runtime/base/json_parse.hpp"

namespace vigil::oci {

nlohmann::json to_json(const ContainerState& s) {
  return {{"ociVersion", s.oci_version}, {"id", s.id},           {"pid", s.pid},
          {"startTime", s.start_time},   {"bundle", s.bundle},   {"rootfs", s.rootfs},
          {"created", s.created},        {"owner", s.owner},     {"annotations", s.annotations},
          {"cgroup", s.cgroup},          {"hooks", s.hooks},     {"supervisorPid", s.supervisor_pid},
          {"supervisorStart", s.supervisor_start}};
}

Result<ContainerState> state_from_json(const std::string& text) {
  auto j = TRY_CTX(parse_json(text, "state.json"), "corrupt state");
  try {
    ContainerState s;
    s.oci_version = j.at("ociVersion");
    s.id = j.at("id");
    s.pid = j.at("pid");
    s.start_time = j.at("startTime");
    s.bundle = j.at("bundle");
    s.rootfs = j.at("rootfs");
    s.created = j.at("created");
    s.owner = j.at("owner");
    s.annotations = j.at("annotations").get<std::map<std::string, std::string>>();
    s.cgroup = j.value("cgroup", nlohmann::json::array());
    s.hooks = j.value("hooks", nlohmann::json());
    s.supervisor_pid = j.value("supervisorPid", 0);
    s.supervisor_start = j.value("supervisorStart", uint64_t(0));
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
