#!/usr/bin/env bats
# containerd 1.6 through its runc v2 shim, with vigil as the runc binary: `ctr` as its users
# drive it. The daemon is the suite's own (root, state and sockets in the suite's temp dir).

load client_helpers

setup_file() {
  command -v containerd >/dev/null || skip "containerd is not installed (make deps installs it)"
  export CTR_NS=vigil-test-$$
  # native: snapshots are plain copies, so any backing filesystem will do.
  export CONTAINERD_SNAPSHOTTER=native
  start_containerd "$BATS_FILE_TMPDIR/containerd" 'disabled_plugins = ["io.containerd.grpc.v1.cri"]'
  import_into_containerd "$BATS_FILE_TMPDIR" localhost/busybox
}

teardown_file() {
  stop_containerd "$BATS_FILE_TMPDIR/containerd"
}

setup() {
  T=$BATS_TEST_TMPDIR
  CTR=(ctr -a "$BATS_FILE_TMPDIR/containerd/containerd.sock" -n "$CTR_NS")
  NAME=c${BATS_SUITE_TEST_NUMBER}-$$
  TOKEN=vigil-ctr-${BATS_SUITE_TEST_NUMBER}-$RANDOM
  # vigil's --root, as the shim gives it: the suite's own, not /run/containerd/runc.
  RUNC_ROOT=$BATS_FILE_TMPDIR/containerd/runc/$CTR_NS
}

# Whatever the test left is removed; then no task, container, vigil state or process remains.
teardown() {
  local c
  for c in $("${CTR[@]}" containers ls -q 2>/dev/null); do
    "${CTR[@]}" task kill -s KILL "$c" >/dev/null 2>&1
    "${CTR[@]}" task delete -f "$c" >/dev/null 2>&1
    "${CTR[@]}" containers delete "$c" >/dev/null 2>&1
  done
  local left
  left=$(state_left "$RUNC_ROOT")
  [ -z "$left" ] || fail "vigil state left: $left"
  left=$(grep -lsaF "$TOKEN" /proc/[0-9]*/environ | cut -d/ -f3)
  [ -z "$left" ] || fail "processes left: $left"
}

# c ARGS...: ctr against the suite's daemon; `run` uses vigil through the runc v2 shim.
c() {
  local verb=$1
  shift
  [ "$verb" = run ] && set -- --runtime io.containerd.runc.v2 --runc-binary "$VIGIL" \
    --runc-root "$BATS_FILE_TMPDIR/containerd/runc" --env "VIGIL_TEST_TOKEN=$TOKEN" "$@"
  timeout -k 2 60 "${CTR[@]}" "$verb" "$@" </dev/null 3>&-
}

vigil_state() { "$VIGIL" --root "$RUNC_ROOT" state "$1" | "$JSONEDIT" /dev/stdin get "/$2"; }

@test "containerd: ctr run --rm in the foreground: output, exit code, nothing left" {
  run c run --rm localhost/busybox:latest "$NAME" sh -c 'echo hello; exit 3'
  assert_status 3
  assert_eq "$output" hello
  run c containers ls -q
  assert_eq "$output" ""
}

@test "containerd: run -d, task exec, ps, pause/resume, metrics, kill, delete" {
  c run -d localhost/busybox:latest "$NAME" sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
  local pid
  pid=$(c task ls | awk -v n="$NAME" '$1 == n {print $2}')
  assert_eq "$(vigil_state "$NAME" pid)" "$pid"
  run c task exec --exec-id e1 "$NAME" sh -c 'echo in-exec; exit 4'
  assert_status 4
  assert_eq "$output" in-exec
  run c task ps "$NAME"
  assert_contains "$output" "$pid"
  c task pause "$NAME"
  assert_eq "$(c task ls | awk -v n="$NAME" '$1 == n {print $3}')" PAUSED
  assert_eq "$(vigil_state "$NAME" status)" paused
  c task resume "$NAME"
  assert_eq "$(vigil_state "$NAME" status)" running
  run c task metrics "$NAME"
  assert_status 0
  assert_contains "$output" memory.usage_in_bytes
  assert_contains "$output" pids.current
  c task kill -s TERM "$NAME"
  wait_for sh -c "\"\${@}\" task ls | grep -q \"^$NAME .*STOPPED\"" _ "${CTR[@]}"
  c task delete "$NAME"
  c containers delete "$NAME"
  [ ! -e "$RUNC_ROOT/$NAME" ] || fail "vigil state left for $NAME"
}

@test "containerd: ctr run -t gives the container a terminal" {
  # ctr sizes the terminal only after start returns, racing the program: wait for the size.
  run "$PTY" --timeout 30 --size 15x50 -- "${CTR[@]}" run --rm -t --runtime io.containerd.runc.v2 --runc-binary "$VIGIL" \
    --runc-root "$BATS_FILE_TMPDIR/containerd/runc" \
    --env "VIGIL_TEST_TOKEN=$TOKEN" localhost/busybox:latest "$NAME" \
    sh -c 'tty; until [ -n "$(stty size 2>/dev/null)" ]; do sleep 0.01; done; stty size; exit 5'
  assert_status 5
  assert_eq "$output" $'/dev/pts/0\n15 50'
}

@test "containerd: --memory-limit reaches the container's cgroup (/NAMESPACE/ID)" {
  c run -d --memory-limit 67108864 localhost/busybox:latest "$NAME" sleep 1000
  assert_eq "$(cat "/sys/fs/cgroup/memory/$CTR_NS/$NAME/memory.limit_in_bytes")" 67108864
  c task kill -s KILL "$NAME"
  wait_for sh -c "\"\${@}\" task ls | grep -q \"^$NAME .*STOPPED\"" _ "${CTR[@]}"
  c task delete "$NAME"
  [ ! -e "/sys/fs/cgroup/memory/$CTR_NS/$NAME" ] || fail "the cgroup is left"
}
