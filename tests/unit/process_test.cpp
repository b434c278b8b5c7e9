// Signal names, process identity by start time, id maps, executable lookup.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

#include "runtime/namespaces/namespaces.hpp"
#include "runtime/process/exec.hpp"
#include "runtime/process/process_handle.hpp"
#include "runtime/process/signals.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil {
namespace {

TEST(Signals, NamesAndNumbers) {
  EXPECT_EQ(parse_signal("KILL").value(), SIGKILL);
  EXPECT_EQ(parse_signal("SIGKILL").value(), SIGKILL);
  EXPECT_EQ(parse_signal("sigterm").value(), SIGTERM);
  EXPECT_EQ(parse_signal("9").value(), 9);
  EXPECT_EQ(parse_signal("SIGRTMIN+3").value(), SIGRTMIN + 3);
  EXPECT_EQ(parse_signal("RTMAX-1").value(), SIGRTMAX - 1);
  EXPECT_FALSE(parse_signal("FOO").ok());
  EXPECT_FALSE(parse_signal("0").ok());
  EXPECT_FALSE(parse_signal("65").ok());
  EXPECT_EQ(parse_signal("nope").error().str(), "invalid signal \"nope\": EINVAL (Invalid argument)");
}

TEST(ProcessHandle, StatFieldsAfterACommandNameWithSpacesAndParentheses) {
  std::string stat = "42 (a) (b c) S 1 42 42 0 -1 4194560";
  EXPECT_EQ(stat_field(stat, 3), "S");
  EXPECT_EQ(stat_field(stat, 4), "1");
  EXPECT_EQ(stat_field(stat, 8), "-1");
  EXPECT_EQ(stat_field(stat, 10), std::nullopt);
  EXPECT_EQ(stat_field("no parenthesis", 3), std::nullopt);
}

TEST(ProcessHandle, StartTimeTellsRecycledPidsApart) {
  auto self = process_start_time(::getpid());
  ASSERT_TRUE(self.has_value());
  EXPECT_TRUE(open_process(::getpid(), *self).has_value());
  EXPECT_FALSE(open_process(::getpid(), *self + 1).has_value());
}

TEST(ProcessHandle, ZombieCountsAsGone) {
  pid_t pid = ::fork();
  if (pid == 0) _exit(0);
  auto start = process_start_time(pid);
  siginfo_t info{};
  // Wait for it to exit without reaping it: a zombie.
  ASSERT_EQ(::waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT), 0);
  EXPECT_FALSE(process_start_time(pid).has_value());
  EXPECT_FALSE(start && open_process(pid, *start).has_value());
  ::waitpid(pid, nullptr, 0);
}

TEST(IdMap, Format) {
  EXPECT_EQ(format_id_map({{0, 100000, 65536}, {65536, 1000, 1}}), "0 100000 65536\n65536 1000 1\n");
}

TEST(FindExecutable, SearchesPathFromEnv) {
  internal::TempDir d;
  std::string bin = d.path() + "/tool";
  std::ofstream(bin) << "#!/bin/sh\n";
  ::chmod(bin.c_str(), 0755);
  EXPECT_EQ(find_executable("tool", {"PATH=/nonexistent:" + d.path()}).value(), bin);
  EXPECT_EQ(find_executable("tool", {"PATH=/nonexistent"}).error().str(),
            "exec: \"tool\": executable file not found in $PATH: ENOENT (No such file or directory)");
  EXPECT_EQ(find_executable(bin, {}).value(), bin);
  EXPECT_EQ(find_executable(d.path(), {}).error().code(), EACCES);
}

}  // namespace
}  // namespace vigil
