#include <gtest/gtest.h>

#include "runtime/policy/learned.hpp"
#include "runtime/policy/policy.hpp"
#include "runtime/policy/suggest.hpp"

namespace vigil::policy {
namespace {

using nlohmann::json;

std::string exec_line(const std::string& path, bool program, json elf, const std::string& digest = "",
                      uint32_t dir_uid = 0, uint32_t dir_mode = 0755) {
  json l = {{"kind", "exec"}, {"role", program ? "program" : "library"}, {"fileless", false},
            {"dir_uid", dir_uid},  {"dir_mode", dir_mode}};
  if (!elf.is_null()) l["elf"] = elf;
  else l["interpreter"] = "/bin/sh";
  if (!digest.empty()) l["digest"] = digest;
  return json({{"action", "learn"}, {"rule", "learn"}, {"subject", path}, {"learned", l}}).dump() + "\n";
}

json pie_elf() { return {{"elf32", false}, {"pie", true}, {"static", false}, {"ldso", false}, {"execstack", false}, {"wx", false}}; }

std::string path_line(const std::string& path, std::vector<std::string> access) {
  return json({{"action", "learn"}, {"subject", path}, {"learned", {{"kind", "path"}, {"access", access}}}}).dump() + "\n";
}

std::vector<std::string> rule_paths(const json& rules) {
  std::vector<std::string> out;
  for (const auto& r : rules) out.push_back(r["path"]);
  return out;
}

TEST(Learned, ReadsLearnLinesAndSkipsTheRest) {
  std::string log = exec_line("/usr/bin/env", true, pie_elf(), "sha256:" + std::string(64, 'a')) +
                    R"({"action":"deny","rule":"exec.default","subject":"/tmp/x"})" "\n" + "not json\n" +
                    R"({"action":"learn","subject":"/x","learned":{"kind":"nonsense"}})" "\n" +
                    R"({"action":"learn","subject":"process","learned":{"kind":"memory","scope":"process","bytes":100}})" "\n" +
                    R"({"action":"learn","subject":"process","learned":{"kind":"memory","scope":"process","bytes":50}})" "\n" +
                    path_line("/etc/passwd", {"read", "bogus"}) + path_line("/etc/passwd", {"write"}) +
                    R"({"action":"warn","rule":"exec.allow_debuggers","subject":"/bin/true"})";
  auto seen = read_learned(log);
  EXPECT_EQ(seen.lines, 5u);
  EXPECT_EQ(seen.skipped, 2u);
  ASSERT_EQ(seen.files.size(), 1u);
  EXPECT_TRUE(seen.files[0].pie && seen.files[0].program && seen.files[0].elf);
  EXPECT_EQ(seen.process_peak, 100u);
  EXPECT_EQ(seen.paths["/etc/passwd"], bit(Access::read) | bit(Access::write));
  EXPECT_TRUE(seen.debugged);
}

TEST(Suggest, GeneratedNames) {
  EXPECT_TRUE(generated_name("12345"));
  EXPECT_TRUE(generated_name("tmp.Xa81Qz"));
  EXPECT_FALSE(generated_name("tmp.ci"));
  EXPECT_FALSE(generated_name("python3.11"));
  EXPECT_FALSE(generated_name("libc.so.6"));
  EXPECT_FALSE(generated_name("x86_64-linux-gnu"));
  EXPECT_EQ(glob_literal("/a*b?[c]\\"), "/a\\*b\\?\\[c]\\\\");
}

TEST(Suggest, ExecRulesByDirectoryAndTree) {
  std::string log;
  for (auto p : {"/usr/bin/a", "/usr/bin/b", "/usr/bin/c", "/usr/sbin/ldconfig", "/var/lib/dpkg/tmp.ci/preinst",
                 "/tmp/tmp.Xa81Qz/run"})
    log += exec_line(p, true, pie_elf());
  for (auto p : {"/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/apt/methods/http", "/usr/lib/python3.11/lib-dynload/x.so"})
    log += exec_line(p, false, pie_elf());
  auto s = suggest_policy(read_learned(log), {});
  const auto& exec = s.policy["exec"];
  EXPECT_EQ(exec["default"], "deny");
  EXPECT_EQ(rule_paths(exec["rules"]), (std::vector<std::string>{"/tmp/*/run", "/usr/bin/*", "/usr/lib/**",
                                                                   "/usr/sbin/ldconfig", "/var/lib/dpkg/tmp.ci/preinst"}));
  EXPECT_EQ(exec["require_pie"], true);
  EXPECT_EQ(exec["deny_static"], true);
  EXPECT_EQ(exec["deny_dynamic"], false);
  EXPECT_EQ(exec["deny_elf32"], true);
  EXPECT_EQ(exec["deny_wx"], true);
  EXPECT_EQ(exec["tpe"]["trusted_uids"], json::array({0}));
  EXPECT_FALSE(exec.contains("checksums"));
  EXPECT_TRUE(validate(s.policy, "s").empty());
}

TEST(Suggest, MostOfADirectoryIsItsGlobWhenTheRootfsIsKnown) {
  std::string log = exec_line("/opt/app/one", true, pie_elf()) + exec_line("/opt/app/two", true, pie_elf());
  SuggestOptions o;
  auto s = suggest_policy(read_learned(log), o);
  EXPECT_EQ(rule_paths(s.policy["exec"]["rules"]), (std::vector<std::string>{"/opt/app/one", "/opt/app/two"}));
  o.programs_in = [](const std::string& dir) { return dir == "/opt/app" ? std::optional<size_t>(3) : std::nullopt; };
  s = suggest_policy(read_learned(log), o);
  EXPECT_EQ(rule_paths(s.policy["exec"]["rules"]), (std::vector<std::string>{"/opt/app/*"}));
}

TEST(Suggest, SwitchesOnlyAsStrictAsTheRunAllows) {
  json old = pie_elf();
  old["pie"] = false, old["static"] = true, old["elf32"] = true, old["execstack"] = true;
  std::string log = exec_line("/bin/old", true, old, "", 1000, 0775) + exec_line("/bin/new", true, pie_elf()) +
                    exec_line("/bin/script", true, nullptr) +
                    R"({"action":"learn","subject":"PROT_WRITE|PROT_EXEC","learned":{"kind":"wx"}})" "\n";
  const auto exec = suggest_policy(read_learned(log), {}).policy["exec"];
  EXPECT_EQ(exec["require_pie"], false);
  EXPECT_EQ(exec["deny_static"], false);
  EXPECT_EQ(exec["deny_dynamic"], false);
  EXPECT_EQ(exec["deny_elf32"], false);
  EXPECT_EQ(exec["deny_execstack"], false);
  EXPECT_EQ(exec["deny_wx"], false);
  EXPECT_FALSE(exec.contains("tpe"));  // /bin/old's directory is group-writable
}

TEST(Suggest, ChecksumsRefuseWhatIsNotListed) {
  std::string a = "sha256:" + std::string(64, 'a'), b = "sha256:" + std::string(64, 'b');
  std::string log = exec_line("/bin/x", true, pie_elf(), a) + exec_line("/bin/y", true, pie_elf(), a) +
                    exec_line("/bin/y", true, pie_elf(), b);
  SuggestOptions o;
  o.checksums = true;
  auto s = suggest_policy(read_learned(log), o);
  EXPECT_EQ(s.policy["exec"]["checksums"], json({{"/bin/x", a}}));
  EXPECT_EQ(s.policy["exec"]["unlisted"], "deny");
  ASSERT_EQ(s.notes.size(), 1u);
  EXPECT_NE(s.notes[0].find("/bin/y"), std::string::npos);
}

TEST(Suggest, MemoryAtThePeakTimesTheMargin) {
  std::string log =
      R"({"action":"learn","subject":"process","learned":{"kind":"memory","scope":"process","bytes":104857600}})" "\n"
      R"({"action":"learn","subject":"container","learned":{"kind":"memory","scope":"container","bytes":1048576}})" "\n" +
      exec_line("/bin/x", true, pie_elf());
  SuggestOptions o;
  o.margin = 2;
  auto m = suggest_policy(read_learned(log), o).policy["memory"];
  EXPECT_EQ(m["max"], "200M");
  EXPECT_EQ(m["container_max"], "16M");  // never below 16M
  EXPECT_EQ(m["action"], "deny");
}

TEST(Suggest, PathRulesLandlockCanHold) {
  std::string log = exec_line("/bin/busybox", true, pie_elf()) + path_line("/bin/busybox", {"exec"}) +
                    path_line("/etc/passwd", {"read"}) + path_line("/usr/lib/x/libc.so.6", {"read"}) +
                    path_line("/proc/42/status", {"read"}) + path_line("/", {"list"}) +
                    path_line("/tmp/work", {"create", "list"}) + path_line("/tmp/work/out", {"create", "write"}) +
                    path_line("/etc/a", {"read"}) + path_line("/etc/b", {"read"});
  auto s = suggest_policy(read_learned(log), {});
  const auto& rules = s.policy["paths"]["rules"];
  std::map<std::string, std::vector<std::string>> by_path;
  for (const auto& r : rules) {
    by_path[r["path"]] = r["access"].get<std::vector<std::string>>();
    EXPECT_EQ(r["action"], "allow");
  }
  EXPECT_EQ(by_path, (std::map<std::string, std::vector<std::string>>{
                         {"/**", {"list"}},
                         {"/bin/busybox", {"read", "exec"}},
                         {"/dev/**", {"ioctl"}},
                         {"/etc/**", {"read"}},  // three files of /etc
                         {"/proc/**", {"read"}},
                         {"/tmp/**", {"write", "create"}},  // /tmp/work was made by the run
                         {"/usr/lib/**", {"read"}}}));
  EXPECT_EQ(s.policy["paths"]["default"], "deny");
  EXPECT_TRUE(validate(s.policy, "s").empty());
}

TEST(Suggest, IoctlEverywhereWhereLandlockCannotRefuseIt) {
  SuggestOptions o;
  o.landlock_abi = 2;
  auto s = suggest_policy(read_learned(path_line("/etc/passwd", {"read"})), o);
  std::map<std::string, std::vector<std::string>> by_path;
  for (const auto& r : s.policy["paths"]["rules"]) by_path[r["path"]] = r["access"].get<std::vector<std::string>>();
  EXPECT_EQ(by_path, (std::map<std::string, std::vector<std::string>>{{"/**", {"ioctl"}}, {"/etc/passwd", {"read"}}}));
  ASSERT_EQ(s.notes.size(), 1u);
  EXPECT_NE(s.notes[0].find("ioctl is allowed everywhere: this kernel's Landlock (ABI 2) cannot refuse it"), std::string::npos);
}

}  // namespace
}  // namespace vigil::policy
