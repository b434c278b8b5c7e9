// JSON → seccomp::Profile: the types of each field, then the rules between fields.
#include "runtime/seccomp/profile.hpp"

#include <algorithm>
#include <iterator>

#include "oci/json_reader.hpp"

namespace vigil::seccomp {

namespace {

using oci::JsonReader;
using oci::quote;

constexpr std::string_view kHandOffSyscalls[] = {"write", "sendmsg"};

// The kernel keeps 16 bits of data beside the action (SECCOMP_RET_DATA); libseccomp would
// silently cut a larger value down to them.
constexpr uint32_t kMaxErrnoRet = 0xffff;

std::string element_path(const std::string& list, size_t i) { return list + "[" + std::to_string(i) + "]"; }

Result<Action> read_action(const JsonReader& r, std::string_view key) {
  std::string name;
  TRY(r.require(key, name));
  auto a = action_from_name(name);
  if (!a) return Error::msg(r.member_path(key) + ": unknown action " + quote(name));
  return *a;
}

// errnoRet (or defaultErrnoRet) beside `action`. The spec: "When the action doesn't support
// an errno, the runtime MUST print an error and fail" (crun does; runc ignores it).
Result<std::optional<uint32_t>> read_errno_ret(const JsonReader& r, std::string_view key, Action action) {
  std::optional<uint32_t> v;
  TRY(r.get(key, v));
  if (!v) return v;
  std::string path = r.member_path(key);
  if (!takes_errno(action))
    return Error::msg(path + ": " + std::string(name_of(action)) +
                      " takes no errno (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)");
  if (*v > kMaxErrnoRet) return Error::msg(path + " must be at most 65535 (got " + std::to_string(*v) + ")");
  return v;
}

Result<Arg> read_arg(const JsonReader& r) {
  Arg a;
  uint32_t index = 0;
  TRY(r.require("index", index));
  // Syscalls take at most six arguments; libseccomp numbers them 0..5.
  if (index > 5) return Error::msg(r.member_path("index") + " must be 0..5 (got " + std::to_string(index) + ")");
  a.index = index;
  TRY(r.require("value", a.value));
  TRY(r.get("valueTwo", a.value_two));
  std::string op;
  TRY(r.require("op", op));
  auto known = op_from_name(op);
  if (!known) return Error::msg(r.member_path("op") + ": unknown operator " + quote(op));
  a.op = *known;
  return a;
}

Result<Rule> read_rule(const JsonReader& r) {
  Rule rule;
  TRY(r.require("names", rule.names));
  if (rule.names.empty()) return Error::msg(r.member_path("names") + " must name at least one syscall");
  for (size_t i = 0; i < rule.names.size(); i++)
    if (rule.names[i].empty()) return Error::msg(element_path(r.member_path("names"), i) + " must not be empty");
  rule.action = TRY(read_action(r, "action"));
  rule.errno_ret = TRY(read_errno_ret(r, "errnoRet", rule.action));
  for (const auto& a : TRY(r.array("args"))) rule.args.push_back(TRY(read_arg(a)));
  return rule;
}

Result<std::vector<std::string>> read_architectures(const JsonReader& r) {
  std::vector<std::string> archs;
  TRY(r.get("architectures", archs));
  for (size_t i = 0; i < archs.size(); i++)
    if (!is_arch_name(archs[i]))
      return Error::msg(element_path(r.member_path("architectures"), i) + ": unknown architecture " + quote(archs[i]));
  return archs;
}

// An unknown flag is an error, not a warning: a flag changes what the filter allows or
// logs, and silently loading without it would not be the filter that was asked for.
Result<std::optional<std::vector<Flag>>> read_flags(const JsonReader& r) {
  auto m = r.member("flags");
  if (!m) return std::optional<std::vector<Flag>>();
  std::vector<std::string> names;
  TRY(m->to(names));
  std::vector<Flag> flags;
  for (size_t i = 0; i < names.size(); i++) {
    auto f = flag_from_name(names[i]);
    if (!f) return Error::msg(element_path(m->path(), i) + ": unknown flag " + quote(names[i]));
    if (std::find(flags.begin(), flags.end(), *f) == flags.end()) flags.push_back(*f);
  }
  return std::optional<std::vector<Flag>>(std::move(flags));
}

Status check_listener(const Profile& p) {
  if (!p.listener_path.empty() && p.listener_path[0] != '/')
    return Error::msg("linux.seccomp.listenerPath must be an absolute path (got " + quote(p.listener_path) + ")");
  if (p.listener_path.empty() && !p.listener_metadata.empty())
    return Error::msg("linux.seccomp.listenerMetadata must not be set without listenerPath");
  // runc refuses the same when the init hands the listener over ("seccomp listenerPath is
  // not set"); here it is refused before anything is created.
  if (p.has_notify() && p.listener_path.empty())
    return Error::msg("linux.seccomp.listenerPath is required when an action is SCMP_ACT_NOTIFY");
  return {};
}

Result<Profile> read_profile(const nlohmann::json& j) {
  JsonReader r(j, "linux.seccomp");
  if (!j.is_object()) return r.error("must be an object");
  Profile p;
  p.default_action = TRY(read_action(r, "defaultAction"));
  p.default_errno_ret = TRY(read_errno_ret(r, "defaultErrnoRet", p.default_action));
  p.architectures = TRY(read_architectures(r));
  p.flags = TRY(read_flags(r));
  TRY(r.get("listenerPath", p.listener_path));
  TRY(r.get("listenerMetadata", p.listener_metadata));
  for (const auto& s : TRY(r.array("syscalls"))) p.syscalls.push_back(TRY(read_rule(s)));
  TRY(check_listener(p));
  TRY(check_listener_hand_off(p));
  return p;
}

}  // namespace

bool Profile::has_flag(Flag f) const { return flags && std::find(flags->begin(), flags->end(), f) != flags->end(); }

bool Profile::has_notify() const {
  return std::any_of(syscalls.begin(), syscalls.end(), [](const Rule& r) { return r.action == Action::notify; });
}

bool profile_requested(const nlohmann::json& j) {
  if (j.is_null()) return false;
  if (!j.is_object()) return true;  // parse_profile says what is wrong with it
  auto has = [&](const char* key) {
    auto it = j.find(key);
    return it != j.end() && !it->is_null() && !(it->is_string() && it->get_ref<const std::string&>().empty()) &&
           !(it->is_array() && it->empty());
  };
  return has("defaultAction") || has("syscalls");
}

Result<Profile> parse_profile(const nlohmann::json& j, const std::string& file) {
  return with_context(read_profile(j), file);
}

std::span<const std::string_view> hand_off_syscalls() { return kHandOffSyscalls; }

Status check_listener_hand_off(const Profile& p) {
  // A default NOTIFY would catch the hand-off syscalls too, and every other one.
  if (p.default_action == Action::notify)
    return Error::msg("linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action: it would block "
                      "the listener hand-off");
  for (size_t i = 0; i < p.syscalls.size(); i++) {
    const Rule& rule = p.syscalls[i];
    if (rule.action != Action::notify) continue;
    for (size_t n = 0; n < rule.names.size(); n++) {
      if (std::find(std::begin(kHandOffSyscalls), std::end(kHandOffSyscalls), rule.names[n]) ==
          std::end(kHandOffSyscalls))
        continue;
      return Error::msg(element_path(element_path("linux.seccomp.syscalls", i) + ".names", n) +
                        ": SCMP_ACT_NOTIFY on " + rule.names[n] + " would block the listener hand-off");
    }
  }
  return {};
}

}  // namespace vigil::seccomp
