#include "runtime/policy/sources.hpp"

#include <sys/stat.h>

#include "runtime/base/file.hpp"

namespace vigil::policy {
namespace {

Result<Policy> load_file(const std::string& path, const std::string& what) {
  auto text = read_file(path);
  if (!text) return std::move(text).error().context(what);
  return parse_policy(*text, path);
}

// Moves `into` to `from`'s settings, refusing any that would loosen it.
Status tighten(Policy& into, const Policy& from, const std::string& source) {
  for (const auto& k : keys()) {
    bool have = into.get(k), want = from.get(k);
    if (have == want) continue;
    if (want != k.stricter)
      return Error(EPERM, source + ": " + k.dotted() + "=" + (want ? "true" : "false") +
                              " would loosen the host's policy (" + k.dotted() + " is " + (have ? "true" : "false") + ")");
    into.set(k, want);
  }
  return {};
}

Status valid_profile_name(const std::string& name) {
  bool ok = !name.empty() && name != "." && name != ".." && name.size() <= 255;
  for (char c : name)
    ok &= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
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
    TRY(tighten(p, profile, "policy profile " + it->second));
  }
  for (const auto& [name, value] : annotations) {
    if (name.rfind(kAnnotationPrefix, 0) != 0) continue;
    std::string key = name.substr(kAnnotationPrefix.size());
    if (key == "policy") continue;
    auto dot = key.find('.');
    const Key* k = dot == std::string::npos ? find_key("", key) : find_key(key.substr(0, dot), key.substr(dot + 1));
    std::string where = "annotation " + name + "=" + value;
    if (!k) return Error(EINVAL, where + ": " + key + " is not a policy key");
    if (value != "true" && value != "false") return Error(EINVAL, where + ": must be true or false");
    Policy one = p;
    one.set(*k, value == "true");
    TRY(tighten(p, one, "annotation " + name));
  }
  return p;
}

}  // namespace vigil::policy
