#!/usr/bin/env bats
# linux.seccomp: the profile is loaded into the container's process, and SCMP_ACT_NOTIFY
# hands its listener to the agent at listenerPath.

load helpers

setup() {
  vigil_setup
  cfg append /mounts '{"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev"]}'
  AGENT=$REPO/build/tests/seccomp_agent
}
teardown() { vigil_teardown; }

@test "seccomp: a denied syscall gets the configured errno, allowed ones work" {
  cfg set /linux/seccomp '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
    {"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":30},
    {"names":["getcwd"],"action":"SCMP_ACT_ERRNO"}]}'
  cmd 'mkdir /tmp/x 2>&1; touch /tmp/y && echo touch-ok; grep Seccomp: /proc/self/status'
  run_fg "$ID"
  assert_status 0
  assert_eq "$output" $'mkdir: can\'t create directory \'/tmp/x\': Read-only file system\ntouch-ok\nSeccomp:\t2'
  assert_clean
}

@test "seccomp: without noNewPrivileges the profile is loaded too (with CAP_SYS_ADMIN, before the drop)" {
  cfg set /process/noNewPrivileges false
  cfg set /linux/seccomp '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}'
  cmd 'mkdir /tmp/x 2>&1; grep NoNewPrivs /proc/self/status'
  run_fg "$ID"
  assert_status 0
  assert_eq "$output" $'mkdir: can\'t create directory \'/tmp/x\': Operation not permitted\nNoNewPrivs:\t0'
  assert_clean
}

@test "seccomp: SCMP_ACT_KILL_PROCESS kills the program with SIGSYS" {
  cfg set /linux/seccomp '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_KILL_PROCESS"}]}'
  cfg set /process/args '["mkdir","/tmp/x"]'
  run_fg "$ID"
  assert_status $((128 + 31))
  assert_clean
}

@test "seccomp: a bad operator or action is a validation error naming the JSON path, and nothing is left" {
  cfg set /linux/seccomp '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":1,"op":"SCMP_CMP_FOO"}]}]}'
  create "$ID"
  assert_status 1
  assert_contains "$output" 'linux.seccomp.syscalls[0].args[0].op: unknown operator "SCMP_CMP_FOO"'
  cfg set /linux/seccomp '{"defaultAction":"SCMP_ACT_NOPE"}'
  create "$ID"
  assert_status 1
  assert_contains "$output" 'linux.seccomp.defaultAction: unknown action "SCMP_ACT_NOPE"'
  assert_clean
}

@test "seccomp: SCMP_ACT_NOTIFY hands the listener to listenerPath with the container process state" {
  local sock=$T/agent.sock
  cfg set /linux/seccomp "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$sock\",\"listenerMetadata\":\"bats\",
    \"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"
  cmd 'mkdir /tmp/x 2>&1; echo done'
  "$AGENT" "$sock" "$T/agent.state" >"$T/agent.out" 2>&1 </dev/null 3>&- &
  local agent=$!
  echo "$agent" >>"$T/bgpids"
  wait_for file_has "$T/agent.out" listening
  create_ok "$ID"
  local pid
  pid=$(init_pid "$ID")
  wait_for test -s "$T/agent.state"
  local state
  state=$(cat "$T/agent.state")
  assert_eq "$(json_get /pid <<<"$state")" "$pid"
  assert_eq "$(json_get /metadata <<<"$state")" bats
  assert_eq "$(json_get /fds/0 <<<"$state")" seccompFd
  assert_eq "$(json_get /state/id <<<"$state")" "$ID"
  start_ok "$ID"
  wait_status "$ID" stopped
  assert_eq "$(container_output "$ID")" $'mkdir: can\'t create directory \'/tmp/x\': Host is down\ndone'
  vigil delete "$ID"
  wait "$agent"
  [ "$(cat "$T/agent.state.answered")" -ge 1 ] || fail "the agent answered nothing"
  assert_clean
}

@test "seccomp: a missing listener socket fails create and leaves nothing" {
  cfg set /linux/seccomp "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$T/nobody.sock\",
    \"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"
  create "$ID"
  assert_status 1
  assert_contains "$output" "seccomp listenerPath: connect to $T/nobody.sock: ENOENT"
  assert_clean
}

@test "seccomp: SCMP_ACT_NOTIFY on write is refused (it would block the listener hand-off)" {
  cfg set /linux/seccomp "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$T/a.sock\",
    \"syscalls\":[{\"names\":[\"write\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"
  create "$ID"
  assert_status 1
  assert_contains "$output" "SCMP_ACT_NOTIFY on write would block the listener hand-off"
  assert_clean
}
