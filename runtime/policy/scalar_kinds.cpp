// The kinds an annotation may set: booleans, actions and memory sizes.
#include "runtime/policy/action.hpp"
#include "runtime/policy/kind.hpp"
#include "runtime/policy/size.hpp"

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

// `learn`: turning it on loosens every refusal into a warning, so a profile or an annotation
// may do it only where the policy so far says `allow_learn`; turning it off always tightens.
class LearnKind : public Boolean {
 public:
  LearnKind() : Boolean(false) {}
  Result<nlohmann::json> tighten(const Key& k, const nlohmann::json& have, const nlohmann::json& want,
                                 const Policy& before) const override {
    if (want == true && have != true && before.get(*find_key("allow_learn")) != true)
      return Error(EPERM, k.dotted() + "=true would loosen the host's policy (it does not say \"allow_learn\": true)");
    return want;
  }
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

// warn|deny|kill: what a memory limit does when it is reached (allow would be no limit).
class MemoryActionKind : public ActionKind {
 public:
  void check(const nlohmann::json& v, const std::string& path, std::vector<std::string>& problems) const override {
    if (!v.is_string() || v == "allow" || !parse_action(v.get<std::string>()))
      problems.push_back(path + ": must be one of warn, deny, kill");
  }
  std::string_view values() const override { return "warn|deny|kill"; }
  Result<nlohmann::json> parse(std::string_view text) const override {
    if (text == "allow" || !parse_action(text)) return Error(EINVAL, "must be one of warn, deny, kill");
    return nlohmann::json(text);
  }
};

// A byte count (0: no limit), written as a number or a string with K, M, G or T; with
// `cgroup`, also "cgroup": the container's own memory limit, known only at create.
class SizeKind : public Kind {
 public:
  explicit SizeKind(bool cgroup) : cgroup_(cgroup) {}
  void check(const nlohmann::json& v, const std::string& path, std::vector<std::string>& problems) const override {
    if (!bytes(v) && !(cgroup_ && v == "cgroup"))
      problems.push_back(path + ": must be a size: bytes, or a number with K, M, G or T" +
                         (cgroup_ ? std::string(", or \"cgroup\"") : std::string()));
  }
  std::string_view values() const override { return cgroup_ ? "SIZE|cgroup" : "SIZE"; }
  Result<nlohmann::json> parse(std::string_view text) const override {
    if (cgroup_ && text == "cgroup") return nlohmann::json("cgroup");
    auto n = parse_size(text);
    if (!n) return Error(EINVAL, "must be a size: bytes, or a number with K, M, G or T");
    return nlohmann::json(*n);
  }
  // Smaller is tighter and 0 (no limit) loosest; "cgroup" and a byte count cannot be
  // compared before create, so either may only replace "no limit" or itself.
  Result<nlohmann::json> tighten(const Key& k, const nlohmann::json& have, const nlohmann::json& want,
                                 const Policy&) const override {
    auto h = bytes(have), w = bytes(want);
    if (h && *h == 0) return canonical(want);
    if (h && w && *w != 0 && *w <= *h) return canonical(want);
    if (!h && !w) return have;
    return loosens(k, have, want);
  }
  nlohmann::json canonical(const nlohmann::json& v) const override { return bytes(v) ? nlohmann::json(*bytes(v)) : v; }

 private:
  static std::optional<uint64_t> bytes(const nlohmann::json& v) {
    if (v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0)) return v.get<uint64_t>();
    if (v.is_string()) return parse_size(v.get<std::string>());
    return std::nullopt;
  }
  bool cgroup_;
};

}  // namespace

const Kind& memory_action() {
  static const MemoryActionKind kind;
  return kind;
}

const Kind& size(bool cgroup) {
  static const SizeKind plain(false), with_cgroup(true);
  return cgroup ? with_cgroup : plain;
}

const Kind& boolean(bool stricter) {
  static const Boolean on(true), off(false);
  return stricter ? on : off;
}

const Kind& learn() {
  static const LearnKind kind;
  return kind;
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
