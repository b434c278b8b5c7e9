#include "runtime/cgroup/systemd/unit_name.hpp"

namespace vigil::cgroup::systemd {
namespace {

constexpr std::string_view kSlice = ".slice";

// What systemd takes in a unit name: letters, digits, ":-_.\" (unit_name_is_valid).
bool unit_chars(std::string_view s) {
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' || c == '-' ||
          c == '_' || c == '.' || c == '\\'))
      return false;
  return !s.empty() && s.size() <= 255;
}

}  // namespace

Result<std::string> expand_slice(const std::string& slice) {
  auto bad = [&](const std::string& why) { return Error(EINVAL, "systemd slice " + slice + ": " + why); };
  if (slice == "-.slice") return std::string();
  if (!slice.ends_with(kSlice) || slice.size() == kSlice.size()) return bad("must end in .slice");
  if (!unit_chars(slice) || slice.find('/') != std::string::npos) return bad("is not a unit name");
  std::string stem = slice.substr(0, slice.size() - kSlice.size());
  if (stem.front() == '-' || stem.back() == '-' || stem.find("--") != std::string::npos)
    return bad("a dash may only separate two names");
  std::string path;
  for (size_t dash = stem.find('-');; dash = stem.find('-', dash + 1)) {
    path += "/" + stem.substr(0, dash) + std::string(kSlice);
    if (dash == std::string::npos) break;
  }
  return path;
}

std::string UnitName::cgroup_path() const {
  auto parent = expand_slice(slice);
  return (parent ? *parent : std::string()) + "/" + unit;
}

Result<UnitName> unit_name(const std::string& cgroups_path, const std::string& id) {
  std::string parts[3] = {"", "vigil", id};
  if (!cgroups_path.empty()) {
    size_t a = cgroups_path.find(':'), b = a == std::string::npos ? a : cgroups_path.find(':', a + 1);
    if (b == std::string::npos || cgroups_path.find(':', b + 1) != std::string::npos)
      return Error(EINVAL, "cgroupsPath " + cgroups_path + ": with --systemd-cgroup it must be slice:prefix:name");
    parts[0] = cgroups_path.substr(0, a);
    parts[1] = cgroups_path.substr(a + 1, b - a - 1);
    parts[2] = cgroups_path.substr(b + 1);
  }
  UnitName u;
  u.slice = parts[0].empty() ? "system.slice" : parts[0];
  TRY_CTX(expand_slice(u.slice), "cgroupsPath " + cgroups_path);
  std::string name = parts[2].empty() ? id : parts[2];
  if (name.ends_with(kSlice))
    return Error(ENOTSUP, "cgroupsPath " + cgroups_path + ": a container of its own slice is not supported, only scopes");
  u.unit = (parts[1].empty() ? "" : parts[1] + "-") + name + ".scope";
  if (!unit_chars(u.unit)) return Error(EINVAL, "cgroupsPath " + cgroups_path + ": " + u.unit + " is not a unit name");
  return u;
}

}  // namespace vigil::cgroup::systemd
