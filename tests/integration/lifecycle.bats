#!/usr/bin/env bats
# create, start, state, kill, delete, run, list: the lifecycle of runtime-spec runtime.md.

load helpers

setup() {
  vigil_setup
  # /tmp of the container is a tmpfs, so mount points under it never touch the shared rootfs.
  cfg append /mounts '{"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev"]}'
}
teardown() { vigil_teardown; }

# share_dir: a host dir, bind-mounted read-write at /tmp/shared in the container.
share_dir() {
  mkdir -p "$T/shared"
  cfg append /mounts "{\"destination\":\"/tmp/shared\",\"type\":\"bind\",\"source\":\"$T/shared\",\"options\":[\"rbind\",\"rw\"]}"
}

# A container that prints "ready" once its traps are set, reports the signals it gets and
# exits 0 on SIGTERM.
signal_reporter() {
  cmd 'trap "echo got-USR1" USR1; trap "echo got-USR2" USR2; trap "echo got-HUP" HUP
trap "echo got-TERM; exit 0" TERM
echo ready
while :; do sleep 1 & wait $!; done'
}

# A container that waits forever (until SIGKILL: as pid 1 it has no handler for others).
sleeper() {
  cmd 'echo ready; while :; do sleep 1; done'
}

@test "lifecycle: create leaves the program not yet run; state says created with every field" {
  share_dir
  cmd 'echo ran >/tmp/shared/marker'
  create_ok "$ID"
  assert_eq "$output" ""
  run --separate-stderr vigil state "$ID"
  assert_status 0
  local json=$output
  assert_eq "$(json_get /id <<<"$json")" "$ID"
  assert_eq "$(json_get /status <<<"$json")" created
  assert_eq "$(json_get /ociVersion <<<"$json")" 1.2.0
  assert_eq "$(json_get /bundle <<<"$json")" "$BUNDLE"
  assert_eq "$(json_get /rootfs <<<"$json")" "$ROOTFS"
  assert_eq "$(json_get /owner <<<"$json")" root
  [[ "$(json_get /created <<<"$json")" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$ ]] ||
    fail "created is not an RFC 3339 UTC time: $json"
  local pid
  pid=$(json_get /pid <<<"$json")
  [ "$pid" -gt 0 ] || fail "pid $pid"
  [ -d "/proc/$pid" ] || fail "init pid $pid is not alive"
  # The program has not run yet.
  [ ! -e "$T/shared/marker" ] || fail "the program ran before start"
  start_ok "$ID"
  wait_for test -f "$T/shared/marker"
  assert_eq "$(cat "$T/shared/marker")" ran
  wait_status "$ID" stopped
  assert_eq "$(state_of "$ID" pid)" 0
}

@test "lifecycle: start makes it running; a second start fails" {
  sleeper
  create_ok "$ID"
  start_ok "$ID"
  assert_eq "$(state_of "$ID" status)" running
  wait_ready "$ID"
  run --separate-stderr vigil start "$ID"
  assert_status 1
  assert_contains "$stderr" "cannot start container $ID"
  assert_contains "$stderr" "running"
  assert_one_line "$stderr"
  assert_eq "$(state_of "$ID" status)" running
  # It ran once.
  assert_eq "$(grep -c ready "$(out_file "$ID")")" 1
}

@test "lifecycle: kill sends SIGTERM by default, and signals by name with or without SIG and by number" {
  signal_reporter
  run_detached_ok "$ID"
  local out
  out=$(out_file "$ID")
  wait_ready "$ID"
  run --separate-stderr vigil kill "$ID" SIGUSR1
  assert_status 0
  wait_for file_has "$out" got-USR1
  run --separate-stderr vigil kill "$ID" USR2
  assert_status 0
  wait_for file_has "$out" got-USR2
  run --separate-stderr vigil kill "$ID" 1
  assert_status 0
  wait_for file_has "$out" got-HUP
  assert_eq "$(state_of "$ID" status)" running
  run --separate-stderr vigil kill "$ID"
  assert_status 0
  wait_status "$ID" stopped
  assert_eq "$(cat "$out")" "ready
got-USR1
got-USR2
got-HUP
got-TERM"
  assert_eq "$(state_of "$ID" pid)" 0
}

@test "lifecycle: kill with an unknown signal fails and sends nothing" {
  signal_reporter
  run_detached_ok "$ID"
  wait_ready "$ID"
  run --separate-stderr vigil kill "$ID" SIGFOO
  assert_status 1
  assert_contains "$stderr" 'invalid signal "SIGFOO"'
  run --separate-stderr vigil kill "$ID" 0
  assert_status 1
  assert_contains "$stderr" "invalid signal"
  assert_eq "$(state_of "$ID" status)" running
  assert_eq "$(cat "$(out_file "$ID")")" ready
}

@test "lifecycle: kill of a stopped container fails with \"container not running\"" {
  cmd 'exit 0'
  run_detached_ok "$ID"
  wait_status "$ID" stopped
  run --separate-stderr vigil kill "$ID" KILL
  assert_status 1
  assert_contains "$stderr" "container not running"
  assert_one_line "$stderr"
  # Still there, still stopped: delete without --force works on a stopped container.
  assert_eq "$(state_of "$ID" status)" stopped
  run --separate-stderr vigil delete "$ID"
  assert_status 0
  run --separate-stderr vigil state "$ID"
  assert_status 1
  assert_contains "$stderr" "does not exist"
  [ ! -e "$STATE/$ID" ] || fail "$STATE/$ID left after delete"
}

@test "lifecycle: delete of a running container fails without --force and leaves it running" {
  sleeper
  run_detached_ok "$ID"
  local pid
  pid=$(init_pid "$ID")
  run --separate-stderr vigil delete "$ID"
  assert_status 1
  assert_contains "$stderr" "cannot delete container $ID"
  assert_contains "$stderr" "running"
  assert_one_line "$stderr"
  assert_eq "$(state_of "$ID" status)" running
  assert_eq "$(init_pid "$ID")" "$pid"
  kill -0 "$pid" || fail "init $pid died"
  run --separate-stderr vigil delete --force "$ID"
  assert_status 0
  run --separate-stderr vigil state "$ID"
  assert_status 1
  assert_contains "$stderr" "does not exist"
  # The init is gone (a zombie at most: this host's PID 1 does not reap).
  local st
  st=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
  [ -z "$st" ] || [ "$st" = Z ] || fail "init $pid still alive (state $st) after delete --force"
}

@test "lifecycle: delete of a created container removes it without running its program (as runc)" {
  share_dir
  cmd 'echo ran >/tmp/shared/marker'
  create_ok "$ID"
  local pid
  pid=$(init_pid "$ID")
  # containerd's shim deletes a task that never started without --force, as runc allows.
  run --separate-stderr vigil delete "$ID"
  assert_status 0
  run --separate-stderr vigil state "$ID"
  assert_status 1
  [ ! -e "$T/shared/marker" ] || fail "the program of a deleted, never started container ran"
  local st
  st=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
  [ -z "$st" ] || [ "$st" = Z ] || fail "init $pid still alive (state $st) after delete"
}

@test "lifecycle: every operation on a missing id fails with \"does not exist\"" {
  local verb
  for verb in state start kill delete; do
    run --separate-stderr vigil "$verb" no-such-container
    assert_status 1
    assert_contains "$stderr" "container no-such-container does not exist"
    assert_one_line "$stderr"
  done
}

@test "lifecycle: --pid-file holds the init pid that state reports" {
  create_ok "$ID" --pid-file "$T/init.pid"
  [ -f "$T/init.pid" ] || fail "no pid file"
  local pid
  pid=$(cat "$T/init.pid")
  [[ "$pid" =~ ^[0-9]+$ ]] || fail "pid file holds \"$pid\""
  assert_eq "$pid" "$(init_pid "$ID")"
  [ -d "/proc/$pid" ] || fail "pid $pid from the pid file is not alive"
}

@test "lifecycle: run --pid-file and run --detach: returns 0 with the container running" {
  sleeper
  run_detached "$ID" --pid-file "$T/init.pid"
  assert_status 0
  assert_eq "$(state_of "$ID" status)" running
  assert_eq "$(cat "$T/init.pid")" "$(init_pid "$ID")"
  wait_ready "$ID"
}

@test "lifecycle: run returns the container's exit code" {
  cmd 'echo out; echo err >&2; exit 3'
  run_fg "$ID"
  assert_status 3
  assert_eq "$output" out
  assert_eq "$stderr" err
  cmd 'exit 0'
  run_fg "$ID-b"
  assert_status 0
}

@test "lifecycle: run removes the container afterwards" {
  cmd 'exit 5'
  run_fg "$ID"
  assert_status 5
  run --separate-stderr vigil state "$ID"
  assert_status 1
  assert_contains "$stderr" "does not exist"
  run --separate-stderr vigil list -q
  assert_status 0
  assert_eq "$output" ""
  [ ! -e "$STATE/$ID" ] || fail "$STATE/$ID left after run"
}

@test "lifecycle: run of a container killed by signal N exits 128+N" {
  # Without a pid namespace the shell is no namespace init, and SIGKILL to itself works.
  local i=0 t
  while t=$(cfg get /linux/namespaces/$i/type 2>/dev/null); do
    if [ "$t" = pid ]; then cfg del /linux/namespaces/$i; else i=$((i + 1)); fi
  done
  cmd 'kill -9 $$'
  run_fg "$ID"
  assert_status 137
}

@test "lifecycle: run exits 128+N when vigil kill sends signal N to the init from outside" {
  sleeper
  remember_id "$ID"
  bg "$VIGIL" --root "$STATE" run --bundle "$BUNDLE" "$ID" >"$T/run.out" 2>"$T/run.err"
  local run_pid=$BG_PID
  wait_for file_has "$T/run.out" ready || fail "vigil run printed: $(cat "$T/run.err")"
  run --separate-stderr vigil kill "$ID" KILL
  assert_status 0
  local rc=0
  wait "$run_pid" || rc=$?
  assert_eq "$rc" 137
  run --separate-stderr vigil state "$ID"
  assert_status 1
}

@test "lifecycle: run forwards signals it gets to the container" {
  cmd 'trap "echo got-TERM; exit 7" TERM; echo ready; while :; do sleep 1 & wait $!; done'
  remember_id "$ID"
  bg "$VIGIL" --root "$STATE" run --bundle "$BUNDLE" "$ID" >"$T/run.out" 2>"$T/run.err"
  local run_pid=$BG_PID
  wait_for file_has "$T/run.out" ready || fail "vigil run printed: $(cat "$T/run.err")"
  kill -TERM "$run_pid"
  local rc=0
  wait "$run_pid" || rc=$?
  assert_eq "$rc" 7
  assert_eq "$(cat "$T/run.out")" "ready
got-TERM"
}

@test "lifecycle: list shows a table, ids with -q, and JSON with --format json" {
  sleeper
  create_ok "$ID-a"
  run_detached_ok "$ID-b"
  run --separate-stderr vigil list
  assert_status 0
  assert_eq "$(echo ${lines[0]})" "ID PID STATUS BUNDLE CREATED OWNER"
  assert_eq "${#lines[@]}" 3
  local row
  row=($(printf '%s\n' "${lines[@]}" | grep "^$ID-a "))
  assert_eq "${row[1]}" "$(init_pid "$ID-a")"
  assert_eq "${row[2]}" created
  assert_eq "${row[3]}" "$BUNDLE"
  assert_eq "${row[5]}" root
  row=($(printf '%s\n' "${lines[@]}" | grep "^$ID-b "))
  assert_eq "${row[2]}" running

  run --separate-stderr vigil list -q
  assert_status 0
  assert_eq "$output" "$ID-a
$ID-b"

  run --separate-stderr vigil list --format json
  assert_status 0
  assert_eq "$(json_get /0/id <<<"$output")" "$ID-a"
  assert_eq "$(json_get /0/status <<<"$output")" created
  assert_eq "$(json_get /1/id <<<"$output")" "$ID-b"
  assert_eq "$(json_get /1/status <<<"$output")" running
  assert_eq "$(json_get /1/pid <<<"$output")" "$(init_pid "$ID-b")"
  run "$JSONEDIT" /dev/stdin get /2 <<<"$output"
  [ "$status" -ne 0 ] || fail "more than two containers listed"

  run --separate-stderr vigil list --format yaml
  assert_status 1
  assert_contains "$stderr" "--format must be table or json"
}

@test "state honesty: an init killed from outside reads as stopped with pid 0" {
  sleeper
  run_detached_ok "$ID"
  local pid
  pid=$(init_pid "$ID")
  kill -9 "$pid"
  wait_status "$ID" stopped
  assert_eq "$(state_of "$ID" pid)" 0
  run --separate-stderr vigil kill "$ID" TERM
  assert_status 1
  assert_contains "$stderr" "container not running"
  run --separate-stderr vigil delete "$ID"
  assert_status 0
}

@test "state honesty: a created init killed from outside reads as stopped and cannot be started" {
  create_ok "$ID"
  local pid
  pid=$(init_pid "$ID")
  kill -9 "$pid"
  wait_status "$ID" stopped
  assert_eq "$(state_of "$ID" pid)" 0
  run --separate-stderr vigil start "$ID"
  assert_status 1
  assert_contains "$stderr" "cannot start container $ID"
  assert_contains "$stderr" "stopped"
}
