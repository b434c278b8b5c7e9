// The kinds an annotation may set: booleans and actions.
#include "runtime/policy/action.hpp"
#include "runtime/policy/kind.hpp"

namespace vigil::policy {
namespace {

std::string text(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

class Boolean : public Kind {
 public:
  explicit Boolean(bool stricter) : stricter_(stricter) {}
  void check(const nlohmann::json& v, const std::string& path, std::vector<std::string>& problems) const override {
    if (!v.is_boolean()) problems.push_back(path + ": must be true or false");
  }
  std::string_view values() const override { return "true|false"; }
  Result<nlohmann::json> parse(std::string_view text) const override {
    if (text != "true" && text != "false") return Error(EINVAL, "must be true or false");
    return nlohmann::json(text == "true");
  }
  Result<nlohmann::json> tighten(const Key& k, const nlohmann::json& have, const nlohmann::json& want,
                                 const Policy&) const override {
    if (have != want && want != stricter_) return loosens(k, have, want);
    return want;
  }

 private:
  bool stricter_;
};

constexpr std::string_view kActionMust = "must be one of allow, warn, deny, kill";

class ActionKind : public Kind {
 public:
  void check(const nlohmann::json& v, const std::string& path, std::vector<std::string>& problems) const override {
    if (!v.is_string() || !parse_action(v.get<std::string>()))
      problems.push_back(path + ": " + std::string(kActionMust));
  }
  std::string_view values() const override { return "allow|warn|deny|kill"; }
  Result<nlohmann::json> parse(std::string_view text) const override {
    if (!parse_action(text)) return Error(EINVAL, std::string(kActionMust));
    return nlohmann::json(text);
  }
  Result<nlohmann::json> tighten(const Key& k, const nlohmann::json& have, const nlohmann::json& want,
                                 const Policy&) const override {
    if (*parse_action(want.get<std::string>()) < *parse_action(have.get<std::string>())) return loosens(k, have, want);
    return want;
  }
};

}  // namespace

const Kind& boolean(bool stricter) {
  static const Boolean on(true), off(false);
  return stricter ? on : off;
}

const Kind& action() {
  static const ActionKind kind;
  return kind;
}

Error loosens(const Key& k, const nlohmann::json& have, const nlohmann::json& want) {
  return Error(EPERM, k.dotted() + "=" + text(want) + " would loosen the host's policy (" + k.dotted() + " is " +
                          text(have) + ")");
}

}  // namespace vigil::policy
