#include <gtest/gtest.h>

#include "runtime/container/container.hpp"

namespace vigil {
namespace {

TEST(EventText, ADecisionIsOneLineOfItsFields) {
  auto e = nlohmann::json::parse(R"({"type": "audit", "id": "c", "data": {"time": "2026-12-05T23:40:01Z", "id": "c", "pid": 42,
      "syscall": "execve", "subject": "/usr/bin/nc", "rule": "exec.rules[3]", "action": "kill", "detail": "path rule"}})");
  EXPECT_EQ(event_text(e, "now"), "2026-12-05T23:40:01Z pid 42 kill execve /usr/bin/nc exec.rules[3] (\"path rule\")");
  e["data"]["detail"] = "";
  EXPECT_EQ(event_text(e, "now"), "2026-12-05T23:40:01Z pid 42 kill execve /usr/bin/nc exec.rules[3]");
}

TEST(EventText, WhatTheContainerNamedCannotPassForAnotherLineNorReachTheTerminal) {
  auto e = nlohmann::json::parse(R"({"type": "audit", "data": {"time": "t", "pid": 7, "syscall": "openat",
      "subject": "/tmp/x\nt pid 1 allow openat /etc/shadow \u001b[2J\"q\\", "rule": "paths.rules[0]", "action": "deny"}})");
  std::string line = event_text(e, "now");
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find('\x1b'), std::string::npos);
  EXPECT_EQ(line, "t pid 7 deny openat \"/tmp/x\\x0at pid 1 allow openat /etc/shadow \\x1b[2J\\x22q\\x5c\" paths.rules[0]");
  e["data"]["subject"] = "";
  EXPECT_EQ(event_text(e, "now"), "t pid 7 deny openat \"\" paths.rules[0]");
}

TEST(EventText, StatsOomAndExitInWords) {
  auto stats = nlohmann::json::parse(R"({"type": "stats", "data": {"cpu": {"usage": {"total": 1500000000}},
      "memory": {"usage": {"usage": 3145728}}, "pids": {"current": 4}}})");
  EXPECT_EQ(event_text(stats, "now"), "now stats cpu 1.50 s, memory 3.0 MiB, pids 4");
  EXPECT_EQ(event_text(nlohmann::json{{"type", "stats"}, {"data", nlohmann::json::object()}}, "now"),
            "now stats cpu 0.00 s, memory 0.0 MiB, pids 0");
  EXPECT_EQ(event_text(nlohmann::json{{"type", "oom"}}, "now"), "now oom: a process of the container was killed for want of memory");
  EXPECT_EQ(event_text(nlohmann::json{{"type", "exit"}}, "now"), "now exit: the container's init has exited");
}

}  // namespace
}  // namespace vigil
