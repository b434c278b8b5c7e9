#!/usr/bin/env bats
# vigil spec: the default config.json.

load helpers

setup() { vigil_setup; }
teardown() { vigil_teardown; }

@test "spec: writes a runc-like default config.json into --bundle" {
  local dir=$T/fresh
  mkdir "$dir"
  run --separate-stderr vigil spec --bundle "$dir"
  assert_status 0
  assert_eq "$output" ""
  [ -f "$dir/config.json" ] || fail "no $dir/config.json"
  local CFG=$dir/config.json
  assert_eq "$(cfg get /ociVersion)" 1.2.0
  assert_eq "$(cfg get /process/terminal)" true
  assert_eq "$(cfg get /process/args)" '["sh"]'
  assert_eq "$(cfg get /process/cwd)" /
  assert_eq "$(cfg get /root/path)" rootfs
  assert_eq "$(cfg get /root/readonly)" true
  local types="" i
  for i in 0 1 2 3 4 5; do types+="$(cfg get /linux/namespaces/$i/type) "; done
  assert_eq "$types" "pid network ipc uts mount cgroup "
  run "$JSONEDIT" "$CFG" get /linux/namespaces/6
  [ "$status" -ne 0 ] || fail "more than 6 namespaces: $output"
  run "$JSONEDIT" "$CFG" get /linux/uidMappings
  [ "$status" -ne 0 ] || fail "uidMappings in a non-rootless spec: $output"
}

@test "spec: --bundle defaults to the current directory" {
  mkdir "$T/cwd"
  run --separate-stderr bash -c 'cd "$1" && "$2" spec' _ "$T/cwd" "$VIGIL"
  assert_status 0
  [ -f "$T/cwd/config.json" ] || fail "spec without --bundle wrote no ./config.json"
}

@test "spec: refuses to overwrite an existing config.json" {
  local dir=$T/fresh
  mkdir "$dir"
  echo '{"mine": true}' >"$dir/config.json"
  run --separate-stderr vigil spec --bundle "$dir"
  assert_status 1
  assert_contains "$stderr" "$dir/config.json exists"
  assert_one_line "$stderr"
  assert_eq "$(cat "$dir/config.json")" '{"mine": true}'
}

@test "spec: --rootless adds a user namespace mapping the caller's ids" {
  local dir=$T/fresh
  mkdir "$dir"
  run --separate-stderr vigil spec --rootless --bundle "$dir"
  assert_status 0
  local CFG=$dir/config.json
  local types="" i=0 t
  while t=$("$JSONEDIT" "$CFG" get /linux/namespaces/$i/type 2>/dev/null); do
    types+="$t "
    i=$((i + 1))
  done
  assert_contains "$types" "user "
  assert_not_contains "$types" "network "
  assert_eq "$(cfg get /linux/uidMappings)" "[{\"containerID\":0,\"hostID\":$(id -u),\"size\":1}]"
  assert_eq "$(cfg get /linux/gidMappings)" "[{\"containerID\":0,\"hostID\":$(id -g),\"size\":1}]"
}

@test "spec: the written config.json runs unchanged with vigil run" {
  local dir=$T/fresh
  mkdir "$dir"
  vigil spec --bundle "$dir"
  # root.path "rootfs", relative to the bundle: a link to the shared demo rootfs.
  ln -s "$ROOTFS" "$dir/rootfs"
  # An interactive shell on a terminal, as with runc.
  remember_id "$ID"
  local rc=0
  "$REPO/build/tests/pty_driver" --timeout 15 'expect=# ' 'send=echo hello from $(hostname); exit 4\r' \
    -- "$VIGIL" --root "$STATE" run --bundle "$dir" "$ID" >"$T/run.out" 2>"$T/run.err" 3>&- || rc=$?
  assert_eq "$rc" 4
  assert_eq "$(tail -n 1 "$T/run.out")" "hello from vigil"
  assert_eq "$(cat "$T/run.err")" ""
  run --separate-stderr vigil state "$ID"
  assert_status 1
}

@test "spec: the --rootless config.json runs with vigil run" {
  require_userns
  local dir=$T/fresh
  mkdir "$dir"
  vigil spec --rootless --bundle "$dir"
  ln -s "$ROOTFS" "$dir/rootfs"
  CFG=$dir/config.json cfg set /process/args '["sh","-c","cat /proc/self/uid_map; id -u; tty"]'
  remember_id "$ID"
  local rc=0
  "$REPO/build/tests/pty_driver" --timeout 15 -- "$VIGIL" --root "$STATE" run --bundle "$dir" "$ID" >"$T/run.out" 3>&- || rc=$?
  assert_eq "$rc" 0
  mapfile -t lines <"$T/run.out"
  assert_eq "$(echo ${lines[0]})" "0 $(id -u) 1"
  assert_eq "${lines[1]}" 0
  assert_eq "${lines[2]}" /dev/pts/0
}
