#!/usr/bin/env bats
# linux.seccomp: the profile is loaded into the container's process, and SCMP_ACT_NOTIFY
# hands its listener to the agent at listenerPath.

load helpers

setup() {
  vigil_setup
  cfg append /mounts '{"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev"]}'
  AGENT=$REPO/build/tests/seccomp_agent
  PROFILES=$REPO/tests/integration/seccomp-profiles
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

# ---- profiles of other days ------------------------------------------------------------
# docker-2017.json and docker-2020.json are Docker's default profile as it stood then (an
# allow-list without close_range, clone3, faccessat2, openat2 or epoll_pwait2; 2020 adds
# statx, rseq, io_uring and pidfd_open); podman's current one comes from the host.

# use_profile FILE: linux.seccomp from the Docker-format FILE, converted as podman converts
# it for this config's capabilities.
use_profile() {
  local caps
  caps=$("$JSONEDIT" "$BUNDLE/config.json" get /process/capabilities/bounding | tr ',' ' ' | tr -d '[]"')
  # shellcheck disable=SC2086
  cfg set /linux/seccomp "$("$PROFILES/to-oci" "$1" $caps)"
}

# with_program NAME: the container runs build/tests/exec/NAME, copied into a rootfs of its own.
with_program() {
  private_rootfs
  cp "$REPO/build/tests/exec/$1" "$BUNDLE/rootfs/$1"
  cfg set /process/args "[\"/$1\"]"
}

@test "seccomp: Docker's profiles of 2017 and 2020 and podman's run the program, with and without noNewPrivileges" {
  cmd 'echo hello; ls /bin/sh'
  local profile nnp n=0
  for profile in "$PROFILES/docker-2017.json" "$PROFILES/docker-2020.json" /usr/share/containers/seccomp.json; do
    use_profile "$profile"
    for nnp in true false; do
      cfg set /process/noNewPrivileges $nnp
      n=$((n + 1))
      run_fg "$ID-$n"
      [ "$status" -eq 0 ] || fail "$(basename "$profile"), noNewPrivileges $nnp: status $status: $stderr"
      assert_eq "$output" $'hello\n/bin/sh'
    done
  done
  assert_clean
}

@test "seccomp: under the 2017 profile clone3, faccessat2 and close_range get ENOSYS, and glibc falls back" {
  with_program newcalls
  use_profile "$PROFILES/docker-2017.json"
  run_fg "$ID"
  assert_status 0
  assert_eq "$output" $'clone3: ENOSYS\nfaccessat2: ENOSYS\nclose_range: ENOSYS\npthread_create: ok\nposix_spawn: ok\nfaccessat(AT_EACCESS): ok'
  # A call the profile refuses but that is older than its newest gets the default, as in runc.
  cmd 'chroot / true 2>&1; echo $?'
  run_fg "$ID-2"
  assert_contains "$output" "Operation not permitted"
  assert_clean
}

@test "seccomp: after loading the profile the init calls only execve, with or without noNewPrivileges" {
  with_program exit42
  # Anything else the init called would fail with EOPNOTSUPP and stop it.
  cfg set /linux/seccomp '{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":95,"syscalls":[
    {"names":["execve","exit_group"],"action":"SCMP_ACT_ALLOW"}]}'
  local nnp
  for nnp in true false; do
    cfg set /process/noNewPrivileges $nnp
    run_fg "$ID-$nnp"
    [ "$status" -eq 42 ] || fail "noNewPrivileges $nnp: status $status: $stderr"
  done
  # Without no_new_privs the load needed CAP_SYS_ADMIN, kept until the exec: the program
  # has only the capabilities asked for.
  cmd 'grep -E "^Cap(Eff|Prm):" /proc/self/status'
  cfg set /linux/seccomp '{"defaultAction":"SCMP_ACT_ALLOW"}'
  run_fg "$ID"
  assert_eq "$output" $'CapPrm:\t0000000020000420\nCapEff:\t0000000020000420'
  assert_clean
}

@test "seccomp: a failure after start reaches run's caller and the log, and start's with poststart hooks" {
  private_rootfs
  printf 'not a program\n' >"$BUNDLE/rootfs/junk"
  chmod 755 "$BUNDLE/rootfs/junk"
  cfg set /process/args '["/junk"]'
  leave_running "$ID" --log "$T/log" run --bundle "$BUNDLE"
  assert_status 126
  assert_contains "$(container_stderr "$ID")" "vigil: exec /junk: ENOEXEC (Exec format error)"
  grep -q 'level=error msg="exec /junk: ENOEXEC' "$T/log" || fail "not in the log: $(cat "$T/log")"
  # create + start: the container stops with the message on its stderr; a start that waits
  # for the program (poststart hooks) fails with it.
  cfg set /hooks '{"poststart":[{"path":"/bin/true"}]}'
  create_ok "$ID-2"
  run vigil start "$ID-2"
  assert_status 1
  assert_contains "$output" "its program did not start: exec /junk: ENOEXEC"
  wait_status "$ID-2" stopped
  assert_contains "$(container_stderr "$ID-2")" "vigil: exec /junk: ENOEXEC"
  vigil delete "$ID-2"
  assert_clean
}
