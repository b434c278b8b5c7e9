#include "runtime/policy/sources.hpp"

#include <sys/stat.h>

#include "runtime/base/file.hpp"
#include "runtime/policy/kind.hpp"

namespace vigil::policy {
namespace {

Result<Policy> load_file(const std::string& path, const std::string& what) {
  auto text = read_file(path);
  if (!text) return std::move(text).error().context(what);
  return parse_policy(*text, path);
}

// `into`'s value of `k` moved to `want`, unless that would loosen `before`, the policy so far.
Status tighten(Policy& into, const Key& k, const nlohmann::json& want, const Policy& before,
               const std::string& source) {
  into.set(k, TRY_CTX(k.kind.tighten(k, before.get(k), want, before), source));
  return {};
}

// A profile is a whole policy: each key, set or left to its default, tightens the policy so
// far or is refused, each judged against the policy as it was before the profile.
Status apply_profile(Policy& into, const Policy& profile, const std::string& source) {
  const Policy before = into;
  for (const auto& k : keys()) TRY(tighten(into, k, profile.get(k), before, source));
  return {};
}

Status valid_profile_name(const std::string& name) {
  bool ok = !name.empty() && name != "." && name != ".." && name.size() <= 255;
  for (char c : name)
    ok &=
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
  if (!ok) return Error(EINVAL, "annotation run.vigil.policy=" + name + ": a profile name is [A-Za-z0-9_.-], no path");
  return {};
}

}  // namespace

Result<Policy> effective_policy(const Sources& s, const std::map<std::string, std::string>& annotations) {
  Policy p;
  struct stat st;
  if (s.baseline_given || ::stat(s.baseline.c_str(), &st) == 0) p = TRY(load_file(s.baseline, "policy"));
  // The named profile first, then the fine-grained keys over it.
  if (auto it = annotations.find(std::string(kAnnotationPrefix) + "policy"); it != annotations.end()) {
    TRY(valid_profile_name(it->second));
    std::string file = s.profile_dir + "/" + it->second + ".json";
    auto profile = TRY(load_file(file, "policy profile " + it->second));
    TRY(apply_profile(p, profile, "policy profile " + it->second));
  }
  for (const auto& [name, value] : annotations) {
    if (name.rfind(kAnnotationPrefix, 0) != 0) continue;
    std::string key = name.substr(kAnnotationPrefix.size());
    if (key == "policy") continue;
    const Key* k = find_key(key);
    std::string where = "annotation " + name + "=" + value;
    if (!k) return Error(EINVAL, where + ": " + key + " is not a policy key");
    auto want = TRY_CTX(k->kind.parse(value), where);
    TRY(tighten(p, *k, want, p, "annotation " + name));
  }
  return p;
}

}  // namespace vigil::policy
