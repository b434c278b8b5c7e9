#include "runtime/init/request.hpp"

#include "runtime/base/json_parse.hpp"

namespace vigil {
namespace {

std::vector<uint8_t> to_bytes(const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); }

}  // namespace

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
  j["landlock"] = {{"fs", r.landlock.handled_fs}, {"scoped", r.landlock.scoped}, {"rules", nlohmann::json::array()}};
  for (const auto& l : r.landlock.rules) j["landlock"]["rules"].push_back({{"path", l.path}, {"tree", l.tree}, {"rights", l.rights}});
  j["cgroups"] = nlohmann::json::array();
  for (const auto& c : r.cgroups) j["cgroups"].push_back({{"name", c.name}, {"hostDir", c.host_dir}});
  if (r.seccomp) j["seccomp"] = nlohmann::json::binary_t(to_bytes(r.seccomp->encode()));
  if (r.supervisor) j["supervisor"] = nlohmann::json::binary_t(to_bytes(r.supervisor->encode()));
  // CBOR: it carries the compiled filter as bytes.
  auto bytes = nlohmann::json::to_cbor(j);
  return std::string(bytes.begin(), bytes.end());
}

Result<InitRequest> decode_request(const std::string& text) {
  auto j = TRY_CTX(parse_cbor(text, "init request"), "bad init request");
  try {
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
    const auto& l = j.at("landlock");
    r.landlock.handled_fs = l.at("fs");
    r.landlock.scoped = l.at("scoped");
    for (const auto& rule : l.at("rules")) r.landlock.rules.push_back({rule.at("path"), rule.at("tree"), rule.at("rights")});
    r.spec = j.at("spec");
    for (const auto& c : j.at("cgroups")) r.cgroups.push_back({c.at("name"), c.at("hostDir")});
    for (auto [key, field] : {std::pair{"seccomp", &r.seccomp}, {"supervisor", &r.supervisor}}) {
      if (!j.contains(key)) continue;
      const auto& bytes = j.at(key).get_binary();
      *field = TRY(seccomp::Program::decode(std::string(bytes.begin(), bytes.end())));
    }
    return r;
  } catch (const nlohmann::json::exception& e) {
    return Error(EPROTO, std::string("bad init request: ") + e.what());
  }
}

}  // namespace vigil
