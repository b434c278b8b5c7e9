#include "runtime/init/request.hpp"

namespace vigil {

std::string encode_request(const InitRequest& r) {
  nlohmann::json j = {{"id", r.id},
                      {"bundle", r.bundle},
                      {"rootfs", r.rootfs},
                      {"exec", r.exec},
                      {"noPivot", r.no_pivot},
                      {"newKeyring", r.new_keyring},
                      {"logJson", r.log_json},
                      {"hasExecDone", r.has_exec_done},
                      {"hasLog", r.has_log},
                      {"hasConsole", r.has_console},
                      {"preserveFds", r.preserve_fds},
                      {"spec", r.spec}};
  j["cgroups"] = nlohmann::json::array();
  for (const auto& c : r.cgroups) j["cgroups"].push_back({{"name", c.name}, {"hostDir", c.host_dir}});
  return j.dump();
}

Result<InitRequest> decode_request(const std::string& text) {
  try {
    auto j = nlohmann::json::parse(text);
    InitRequest r;
    r.id = j.at("id");
    r.bundle = j.at("bundle");
    r.rootfs = j.at("rootfs");
    r.exec = j.at("exec");
    r.no_pivot = j.at("noPivot");
    r.new_keyring = j.at("newKeyring");
    r.log_json = j.at("logJson");
    r.has_exec_done = j.at("hasExecDone");
    r.has_log = j.at("hasLog");
    r.has_console = j.at("hasConsole");
    r.preserve_fds = j.at("preserveFds");
    r.spec = j.at("spec");
    for (const auto& c : j.at("cgroups")) r.cgroups.push_back({c.at("name"), c.at("hostDir")});
    return r;
  } catch (const nlohmann::json::exception& e) {
    return Error(EPROTO, std::string("bad init request: ") + e.what());
  }
}

}  // namespace vigil
