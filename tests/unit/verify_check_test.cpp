// The exec section's checks on real files of this host: /bin/busybox (static, not PIE),
// /bin/ls (dynamic PIE), the dynamic loader (a shared object with a SONAME).
#include <fcntl.h>
#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>

#include "runtime/verify/check.hpp"
#include "runtime/verify/digest.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil::verify {
namespace {

using policy::Action;

OpenFile open_file(const std::string& path, const std::string& as = "") {
  OpenFile f;
  f.fd = unique_fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  EXPECT_TRUE(f.fd) << path;
  ::fstat(f.fd.get(), &f.st);
  f.path = as.empty() ? path : as;
  struct stat dir;
  std::string parent = path.substr(0, path.rfind('/'));
  if (::stat(parent.empty() ? "/" : parent.c_str(), &dir) == 0) f.dir = dir;
  return f;
}

std::optional<uint32_t> same_uid(uint32_t u) { return u; }

Verdict check(const policy::ExecPolicy& p, const OpenFile& f, Role role = Role::program) {
  LocalExaminer examiner;
  FactsCache cache(examiner);
  return Checker(p, cache).check(f, role, same_uid);
}

TEST(VerifyCheck, NothingSetAllowsElfPrograms) {
  policy::ExecPolicy p;
  EXPECT_EQ(check(p, open_file("/bin/busybox")).action, Action::allow);
  EXPECT_EQ(check(p, open_file("/bin/ls")).action, Action::allow);
}

TEST(VerifyCheck, RulesLastMatchWinsAndNameTheRule) {
  policy::ExecPolicy p;
  p.default_action = Action::deny;
  p.rules = {{"/bin/*", Action::allow}, {"/bin/busy*", Action::kill}};
  auto v = check(p, open_file("/bin/busybox"));
  EXPECT_EQ(v.action, Action::kill);
  EXPECT_EQ(v.rule, "exec.rules[1]");
  EXPECT_EQ(v.subject, "/bin/busybox");
  EXPECT_EQ(check(p, open_file("/bin/ls")).action, Action::allow);
  EXPECT_EQ(check(p, open_file("/bin/ls", "/usr/local/ls")).rule, "exec.default");
}

TEST(VerifyCheck, WarnIsReturnedWhenNothingRefuses) {
  policy::ExecPolicy p;
  p.rules = {{"/bin/**", Action::warn}};
  auto v = check(p, open_file("/bin/ls"));
  EXPECT_EQ(v.action, Action::warn);
  EXPECT_EQ(v.rule, "exec.rules[0]");
  p.require_pie = true;
  EXPECT_EQ(check(p, open_file("/bin/busybox")).rule, "exec.require_pie");
}

TEST(VerifyCheck, ElfProperties) {
  policy::ExecPolicy pie;
  pie.require_pie = true;
  EXPECT_EQ(check(pie, open_file("/bin/busybox")).rule, "exec.require_pie");
  EXPECT_EQ(check(pie, open_file("/bin/ls")).action, Action::allow);

  policy::ExecPolicy stat;
  stat.deny_static = true;
  EXPECT_EQ(check(stat, open_file("/bin/busybox")).rule, "exec.deny_static");
  EXPECT_EQ(check(stat, open_file("/bin/ls")).action, Action::allow);

  policy::ExecPolicy dyn;
  dyn.deny_dynamic = true;
  EXPECT_EQ(check(dyn, open_file("/bin/ls")).rule, "exec.deny_dynamic");
  EXPECT_EQ(check(dyn, open_file("/bin/busybox")).action, Action::allow);

  policy::ExecPolicy ldso;
  ldso.deny_ldso = true;
  EXPECT_EQ(check(ldso, open_file("/lib64/ld-linux-x86-64.so.2")).rule, "exec.deny_ldso");
  // Mapped by the kernel as a program's loader, it is no program of its own.
  EXPECT_EQ(check(ldso, open_file("/lib64/ld-linux-x86-64.so.2"), Role::library).action, Action::allow);
}

TEST(VerifyCheck, NonElfIsRefusedUnlessAScript) {
  internal::TempDir tmp;
  std::ofstream(tmp.path() + "/script") << "#!/bin/sh\necho hi\n";
  std::ofstream(tmp.path() + "/data") << "just text\n";
  policy::ExecPolicy p;
  EXPECT_EQ(check(p, open_file(tmp.path() + "/script")).action, Action::allow);
  auto v = check(p, open_file(tmp.path() + "/data"));
  EXPECT_EQ(v.action, Action::deny);
  EXPECT_EQ(v.rule, "exec.elf");
  EXPECT_EQ(check(p, open_file(tmp.path() + "/script"), Role::library).rule, "exec.elf");
}

TEST(VerifyCheck, ChecksumsAndUnlisted) {
  int fd = ::open("/bin/busybox", O_RDONLY | O_CLOEXEC);
  auto sum = file_digest(fd, DigestAlgo::sha256);
  ::close(fd);
  ASSERT_TRUE(sum.ok());
  policy::ExecPolicy p;
  p.unlisted = Action::kill;
  p.checksums["/bin/busybox"] = {"sha256", *sum};
  EXPECT_EQ(check(p, open_file("/bin/busybox")).action, Action::allow);
  auto unlisted = check(p, open_file("/bin/ls"));
  EXPECT_EQ(unlisted.action, Action::kill);
  EXPECT_EQ(unlisted.rule, "exec.unlisted");

  p.checksums["/bin/busybox"] = {"sha256", std::string(64, '0')};
  auto v = check(p, open_file("/bin/busybox"));
  EXPECT_EQ(v.action, Action::deny);
  EXPECT_EQ(v.rule, "exec.checksums");
  EXPECT_EQ(v.detail, "expected sha256:" + std::string(64, '0') + " found sha256:" + *sum);
}

TEST(VerifyCheck, TrustedPathExecution) {
  internal::TempDir tmp;
  std::string dir = tmp.path() + "/open";
  ASSERT_EQ(::mkdir(dir.c_str(), 0755), 0);
  std::ofstream(dir + "/script") << "#!/bin/sh\n";
  policy::ExecPolicy p;
  p.tpe = true;
  EXPECT_EQ(check(p, open_file(dir + "/script")).action, Action::allow);
  ASSERT_EQ(::chmod(dir.c_str(), 0777), 0);
  auto v = check(p, open_file(dir + "/script"));
  EXPECT_EQ(v.rule, "exec.tpe");
  EXPECT_EQ(v.detail, "directory writable by group or others (0777)");
  ASSERT_EQ(::chmod(dir.c_str(), 0755), 0);
  p.trusted_uids = {4242};
  EXPECT_EQ(check(p, open_file(dir + "/script")).detail, "directory owned by 0, not a trusted uid");
  // As the container sees it: an unmapped owner is never trusted.
  LocalExaminer examiner;
  FactsCache cache(examiner);
  auto unmapped = Checker(p, cache).check(open_file(dir + "/script"), Role::program, [](uint32_t) { return std::nullopt; });
  EXPECT_EQ(unmapped.detail, "directory owned by an unmapped uid, not a trusted uid");
}

TEST(VerifyCheck, FilelessNeedsAllowMemfd) {
  policy::ExecPolicy p;
  LocalExaminer examiner;
  FactsCache cache(examiner);
  EXPECT_EQ(Checker(p, cache).check_fileless("/memfd:x (deleted)").rule, "exec.allow_memfd");
  p.allow_memfd = true;
  EXPECT_EQ(Checker(p, cache).check_fileless("/memfd:x (deleted)").action, Action::allow);
  // Then only what the file itself holds is checked, not its (lost) path.
  p.default_action = Action::deny;
  auto f = open_file("/bin/ls", "/memfd:x (deleted)");
  f.fileless = true;
  EXPECT_EQ(Checker(p, cache).check(f, Role::program, same_uid).action, Action::allow);
}

}  // namespace
}  // namespace vigil::verify
