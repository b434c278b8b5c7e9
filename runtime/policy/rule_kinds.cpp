// Rule lists: exec.rules ({"path", "action"}) and paths.rules ({"path", "access",
// "action"}). No annotation sets them; a profile brings its own over a host's that allows
// everything, or else appends rules that only refuse.
#include "runtime/policy/action.hpp"
#include "runtime/policy/glob.hpp"
#include "runtime/policy/kind.hpp"
#include "runtime/policy/paths_policy.hpp"

namespace vigil::policy {
namespace {

using nlohmann::json;


class Rules : public Kind {
 public:
  explicit Rules(bool with_access) : with_access_(with_access) {}

  void check(const json& v, const std::string& path, std::vector<std::string>& problems) const override {
    if (!v.is_array())
      return problems.push_back(path + (with_access_ ? R"(: must be an array of {"path": GLOB, "access": [ACCESS], "action": ACTION})"
                                                     : R"(: must be an array of {"path": GLOB, "action": ACTION})"));
    for (size_t i = 0; i < v.size(); i++) {
      std::string at = path + "[" + std::to_string(i) + "]";
      const json& rule = v[i];
      if (!rule.is_object()) {
        problems.push_back(at + ": must be an object with path and action");
        continue;
      }
      for (const auto& [name, value] : rule.items())
        if (name != "path" && name != "action" && (name != "access" || !with_access_))
          problems.push_back(at + "." + name + ": unknown key");
      if (!rule.contains("path")) problems.push_back(at + ".path: is required");
      else if (!rule["path"].is_string()) problems.push_back(at + ".path: must be a string");
      else if (auto e = glob_error(rule["path"].get<std::string>())) problems.push_back(at + ".path: " + *e);
      if (with_access_) check_access(rule, at + ".access", problems);
      if (!rule.contains("action")) problems.push_back(at + ".action: is required");
      else action().check(rule["action"], at + ".action", problems);
    }
  }

  // Where the host allows everything (its default allow, no rule), a profile's rules can
  // only narrow that, whatever they say: an allow-list is a profile's to bring. Otherwise
  // the last matching rule wins, so a profile's rules come last, and may only refuse: an
  // allow there would override the host's deny.
  Result<json> tighten(const Key& k, const json& have, const json& want, const Policy& before) const override {
    if (have.empty() && before.get(*find_key(std::string(k.section) + ".default")) == "allow") return want;
    json out = have;
    for (size_t i = 0; i < want.size(); i++) {
      std::string a = want[i]["action"];
      if (*parse_action(a) < Action::deny)
        return Error(EPERM, k.dotted() + "[" + std::to_string(i) + "]: " + a +
                                " would loosen the host's policy (a profile's rules may only deny or kill)");
      out.push_back(want[i]);
    }
    return out;
  }

 private:
  static void check_access(const json& rule, const std::string& at, std::vector<std::string>& problems) {
    if (!rule.contains("access")) return problems.push_back(at + ": is required");
    const json& a = rule["access"];
    if (!a.is_array() || a.empty())
      return problems.push_back(at + ": must be a non-empty array of " + access_names(kAllAccesses));
    AccessSet seen = 0;
    for (size_t j = 0; j < a.size(); j++) {
      std::string here = at + "[" + std::to_string(j) + "]";
      auto one = a[j].is_string() ? parse_access(a[j].get<std::string>()) : std::nullopt;
      if (!one.has_value()) {
        problems.push_back(here + ": unknown access (" + access_names(kAllAccesses) + ")");
        continue;
      }
      AccessSet b = bit(one.value());
      if (seen & b) problems.push_back(here + ": " + std::string(access_name(one.value())) + " is listed twice");
      seen |= b;
    }
  }

  bool with_access_;
};

}  // namespace

const Kind& exec_rules() {
  static const Rules kind(false);
  return kind;
}

const Kind& path_rules() {
  static const Rules kind(true);
  return kind;
}

}  // namespace vigil::policy
