// The structured kinds of the exec section: checksums and tpe's trusted uids. No annotation
// sets them; a profile may add to them only in ways that cannot loosen.
#include <algorithm>

#include "runtime/policy/exec_policy.hpp"
#include "runtime/policy/kind.hpp"

namespace vigil::policy {
namespace {

using nlohmann::json;

class Checksums : public Kind {
 public:
  void check(const json& v, const std::string& path, std::vector<std::string>& problems) const override {
    if (!v.is_object()) return problems.push_back(path + R"(: must be an object of "/path": "sha256:HEX")");
    for (const auto& [file, sum] : v.items()) {
      std::string at = path + "." + file;
      if (file.empty() || file[0] != '/') problems.push_back(at + ": must be an absolute path");
      if (!sum.is_string() || !parse_checksum(sum.get<std::string>()))
        problems.push_back(at + ": must be sha256:<64 hex> or sha512:<128 hex>");
    }
  }
  // A file the host lists keeps its digest; the profile may list more.
  Result<json> tighten(const Key& k, const json& have, const json& want, const Policy&) const override {
    json out = have;
    for (const auto& [file, sum] : want.items()) {
      if (!have.contains(file)) out[file] = sum;
      else if (have[file] != sum)
        return Error(EPERM, k.dotted() + "." + file + ": " + sum.get<std::string>() +
                                " conflicts with the host's policy (" + have[file].get<std::string>() + ")");
    }
    return out;
  }
  // Hex in lower case, as digests are compared.
  json canonical(const json& v) const override {
    json out = json::object();
    for (const auto& [file, sum] : v.items()) out[file] = parse_checksum(sum.get<std::string>())->str();
    return out;
  }
};

class TrustedUids : public Kind {
 public:
  void check(const json& v, const std::string& path, std::vector<std::string>& problems) const override {
    if (!v.is_array()) return problems.push_back(path + ": must be an array of uids");
    for (size_t i = 0; i < v.size(); i++) {
      const json& u = v[i];
      // 4294967295 is (uid_t)-1, no one's uid.
      if (!u.is_number_integer() || u.get<int64_t>() < 0 || u.get<int64_t>() > 4294967294)
        problems.push_back(path + "[" + std::to_string(i) + "]: must be an integer 0..4294967294");
    }
  }
  // Trusting more uids loosens a check that is on; a check that is off any list tightens.
  Result<json> tighten(const Key& k, const json& have, const json& want, const Policy& before) const override {
    std::string name(k.name);
    const Key* enabled = find_key(std::string(k.section) + "." + name.substr(0, name.rfind('.') + 1) + "enabled");
    if (!before.get(*enabled).get<bool>()) return want;
    for (const auto& u : want)
      if (std::find(have.begin(), have.end(), u) == have.end()) return loosens(k, have, want);
    return want;
  }
};

}  // namespace

const Kind& checksums() {
  static const Checksums kind;
  return kind;
}

const Kind& trusted_uids() {
  static const TrustedUids kind;
  return kind;
}

}  // namespace vigil::policy
