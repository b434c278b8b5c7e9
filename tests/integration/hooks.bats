#!/usr/bin/env bats
# OCI hooks: each at its point, with the state on stdin, output to the log only.

load helpers

setup() {
  vigil_setup
  mkdir -p "$T/shared"
  cfg append /mounts '{"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev"]}'
  cfg append /mounts "{\"destination\":\"/tmp/shared\",\"type\":\"bind\",\"source\":\"$T/shared\",\"options\":[\"rbind\",\"rw\"]}"
}
teardown() { vigil_teardown; }

# hook KIND SCRIPT [TIMEOUT]: appends a /bin/sh hook running SCRIPT to hooks.KIND.
hook() {
  local h
  h="{\"path\":\"/bin/sh\",\"args\":$(json_array sh -c "$2")${3:+,\"timeout\":$3}}"
  cfg append "/hooks/$1" "$h"
}

# record KIND: a hook that saves its stdin (the state) to DIR/KIND.json, and the mount
# namespace it ran in to DIR/KIND.mnt. DIR is $T/shared seen from the host or /tmp/shared inside.
record() {
  local dir=$2
  hook "$1" "cat >$dir/$1.json; readlink /proc/self/ns/mnt >$dir/$1.mnt; echo $1 >>$dir/order"
}

@test "hooks: all six run at their points with the state of that step" {
  record prestart "$T/shared"
  record createRuntime "$T/shared"
  record createContainer "$T/shared"
  record startContainer /tmp/shared
  record poststart "$T/shared"
  record poststop "$T/shared"
  cmd 'echo ready; read x </tmp/shared/go'
  mkfifo "$T/shared/go"
  create_ok "$ID"
  local pid
  pid=$(init_pid "$ID")
  assert_eq "$(cat "$T/shared/order")" $'prestart\ncreateRuntime\ncreateContainer'
  for k in prestart createRuntime createContainer; do
    assert_eq "$(json_get /status <"$T/shared/$k.json")" created
    assert_eq "$(json_get /pid <"$T/shared/$k.json")" "$pid"
    assert_eq "$(json_get /id <"$T/shared/$k.json")" "$ID"
    assert_eq "$(json_get /bundle <"$T/shared/$k.json")" "$BUNDLE"
  done
  # prestart and createRuntime in the runtime's mount namespace, createContainer in the container's.
  assert_eq "$(cat "$T/shared/createRuntime.mnt")" "$(readlink /proc/self/ns/mnt)"
  assert_eq "$(cat "$T/shared/createContainer.mnt")" "$(readlink /proc/$pid/ns/mnt)"
  start_ok "$ID"
  wait_ready "$ID"
  assert_eq "$(sed -n 4,5p "$T/shared/order")" $'startContainer\npoststart'
  assert_eq "$(json_get /status <"$T/shared/startContainer.json")" created
  assert_eq "$(json_get /status <"$T/shared/poststart.json")" running
  assert_eq "$(cat "$T/shared/startContainer.mnt")" "$(readlink /proc/$pid/ns/mnt)"
  echo go >"$T/shared/go"
  wait_status "$ID" stopped
  vigil delete "$ID"
  assert_eq "$(tail -1 "$T/shared/order")" poststop
  assert_eq "$(json_get /status <"$T/shared/poststop.json")" stopped
  assert_clean
}

@test "hooks: a failing createRuntime hook fails create and leaves nothing" {
  hook createRuntime 'echo about to fail; exit 3'
  create "$ID"
  assert_status 1
  assert_contains "$output" "createRuntime hook #0 (/bin/sh): exited with status 3"
  [ ! -e "/sys/fs/cgroup/pids/vigil/$ID" ] || fail "cgroup left"
  assert_clean
}

@test "hooks: a missing hook binary and a hook past its timeout fail create" {
  cfg append /hooks/prestart '{"path":"/nonexistent/hook"}'
  create "$ID"
  assert_status 1
  assert_contains "$output" "prestart hook #0 (/nonexistent/hook): exec: ENOENT"
  cfg set /hooks '{}'
  hook createContainer 'sleep 30' 1
  create "$ID"
  assert_status 1
  assert_contains "$output" "createContainer hook #0 (/bin/sh): timed out after 1s"
  assert_clean
}

@test "hooks: poststart and poststop failures are warnings; hook output goes to the log, not the container" {
  hook prestart 'echo HOOK-SAYS-HELLO; echo HOOK-ON-STDERR >&2'
  hook poststart 'exit 4'
  hook poststop 'exit 5'
  cmd 'echo container-output'
  run --separate-stderr timeout 20 "$VIGIL" --root "$STATE" --log "$T/log" --log-format json run --bundle "$BUNDLE" "$ID" </dev/null 3>&-
  remember_id "$ID"
  assert_status 0
  assert_eq "$output" container-output
  assert_not_contains "$stderr" HOOK-SAYS-HELLO
  assert_contains "$(cat "$T/log")" HOOK-SAYS-HELLO
  assert_contains "$(cat "$T/log")" HOOK-ON-STDERR
  assert_contains "$(cat "$T/log")" '"level":"warning","msg":"poststart hook #0 (/bin/sh): exited with status 4"'
  assert_contains "$(cat "$T/log")" 'poststop hook #0 (/bin/sh): exited with status 5'
  assert_clean
}

@test "hooks: a failing startContainer hook stops the container before its program runs" {
  hook startContainer 'exit 7'
  cmd 'echo program-ran >/tmp/shared/ran'
  run --separate-stderr timeout 20 "$VIGIL" --root "$STATE" --log "$T/log" run --bundle "$BUNDLE" "$ID" </dev/null 3>&-
  remember_id "$ID"
  assert_status 1
  [ ! -e "$T/shared/ran" ] || fail "the program ran"
  assert_contains "$(cat "$T/log")" "startContainer hook #0 (/bin/sh): exited with status 7"
  assert_clean
}
