#!/usr/bin/env bats
# Configs and ids vigil must refuse: each with a clear message and nothing left behind.

load helpers

setup() { vigil_setup; }
teardown() { vigil_teardown; }

# refused ID FRAGMENT...: create ID fails with exit status 1, its one-line message contains
# every FRAGMENT, and create left nothing behind.
refused() {
  local id=$1
  shift
  create "$id"
  assert_status 1
  local f
  for f in "$@"; do assert_contains "$output" "$f"; done
  assert_one_line "$output"
  assert_clean
}

@test "bad input: invalid JSON is refused with its line and column" {
  printf '{\n  "ociVersion": "1.2.0",\n  "process": {\n    "args": ["sh"\n  }\n}\n' >"$BUNDLE/config.json"
  refused "$ID" "$BUNDLE/config.json: invalid JSON at line 5, column 3"
}

@test "bad input: a config without process.args is refused" {
  cfg del /process/args
  refused "$ID" "process.args must not be empty"
}

@test "bad input: ociVersion 2.0.0 is refused" {
  cfg set /ociVersion '"2.0.0"'
  refused "$ID" 'ociVersion "2.0.0" is not supported'
}

@test "bad input: a uid mapping of size 0 is refused" {
  cfg append /linux/namespaces '{"type":"user"}'
  cfg set /linux/uidMappings '[{"containerID":0,"hostID":100000,"size":0}]'
  cfg set /linux/gidMappings '[{"containerID":0,"hostID":100000,"size":65536}]'
  refused "$ID" "linux.uidMappings[0].size must be > 0"
}

@test "bad input: a missing rootfs directory is refused" {
  cfg set /root/path "$(json_str "$T/no-such-rootfs")"
  refused "$ID" "rootfs $T/no-such-rootfs" "No such file or directory"
}

@test "bad input: a program not in \$PATH is refused" {
  cfg set /process/args '["no-such-program"]'
  refused "$ID" 'exec: "no-such-program": executable file not found in $PATH'
  run_fg "$ID-run"
  assert_status 1
  assert_contains "$stderr" 'executable file not found in $PATH'
  assert_clean
}

@test "bad input: a non-namespaced sysctl is refused" {
  cfg set /linux/sysctl '{"kernel.panic":"1"}'
  refused "$ID" "linux.sysctl: kernel.panic is not namespaced"
}

@test "bad input: a net sysctl without a network namespace is refused" {
  local i=0 t
  while t=$(cfg get /linux/namespaces/$i/type 2>/dev/null); do
    if [ "$t" = network ]; then cfg del /linux/namespaces/$i; else i=$((i + 1)); fi
  done
  cfg set /linux/sysctl '{"net.ipv4.ip_forward":"1"}'
  refused "$ID" "linux.sysctl: net.ipv4.ip_forward requires a network namespace"
}

@test "bad input: a duplicate id is refused and the first container is untouched" {
  mkdir "$T/shared"
  cfg append /mounts "{\"destination\":\"/root\",\"type\":\"bind\",\"source\":\"$T/shared\",\"options\":[\"rbind\",\"rw\"]}"
  cmd 'echo ran >>/root/marker'
  create_ok "$ID"
  local pid
  pid=$(init_pid "$ID")
  local before
  before=$(cat "$STATE/$ID/state.json")
  create "$ID"
  assert_status 1
  assert_contains "$output" "container $ID already exists"
  run_fg "$ID"
  assert_status 1
  assert_contains "$stderr" "container $ID already exists"
  # The first one is still created, with the same state, and still starts.
  assert_eq "$(state_of "$ID" status)" created
  assert_eq "$(init_pid "$ID")" "$pid"
  assert_eq "$(cat "$STATE/$ID/state.json")" "$before"
  [ ! -e "$T/shared/marker" ] || fail "the program ran before start"
  start_ok "$ID"
  wait_status "$ID" stopped
  assert_eq "$(cat "$T/shared/marker")" ran
}

@test "bad input: invalid container ids are refused" {
  local long
  long=$(printf 'a%.0s' {1..1025})
  local id
  for id in "" . .. a/b "a b" ../x "$long" 'a*'; do
    create "$id"
    assert_status 1
    if [ -z "$id" ]; then
      assert_contains "$output" "container id must not be empty"
    else
      assert_contains "$output" "invalid container id"
    fi
    assert_one_line "$output"
  done
  [ ! -e "$STATE" ] || [ -z "$(ls -A "$STATE")" ] || fail "state root not empty: $(ls -A "$STATE")"
  [ ! -e "$T/x" ] || fail "create ../x made $T/x"
  assert_clean
}

@test "bad input: a long id is either created or refused as invalid, never half-accepted" {
  # The id names a directory, so ids longer than NAME_MAX (255) cannot be stored as one:
  # validation must refuse them, or the store must cope. 255 characters must work.
  local id n
  id=$(printf 'b%.0s' {1..255})
  create "$id"
  assert_status 0
  assert_eq "$(state_of "$id" status)" created
  run --separate-stderr vigil delete --force "$id"
  assert_status 0
  for n in 256 1024; do
    id=$(printf 'c%.0s' $(seq $n))
    create "$id"
    if [ "$status" -eq 0 ]; then
      assert_eq "$(state_of "$id" status)" created
      run --separate-stderr vigil delete --force "$id"
      assert_status 0
    else
      assert_status 1
      assert_contains "$output" "invalid container id"
    fi
  done
  assert_clean
}

@test "bad input: state, start, kill and delete refuse ids that leave the state root" {
  # A directory outside the state root that looks like a container's.
  mkdir -p "$STATE" "$T/outside/victim"
  printf '{"ociVersion":"1.2.0","id":"victim","pid":0,"startTime":0,"bundle":"/","rootfs":"/","created":"","owner":"root","annotations":{}}' \
    >"$T/outside/victim/state.json"
  echo precious >"$T/outside/victim/data"
  local verb
  for verb in state start kill delete "delete --force"; do
    # shellcheck disable=SC2086
    run --separate-stderr vigil $verb ../outside/victim
    assert_status 1
    assert_contains "$stderr" "invalid container id"
    [ -f "$T/outside/victim/data" ] || fail "vigil $verb ../outside/victim removed files outside the state root"
  done
  assert_eq "$(cat "$T/outside/victim/data")" precious
}

@test "bad input: a mount through a symlink pointing out of the rootfs stays inside the rootfs" {
  private_rootfs
  mkdir "$T/hostdir"
  echo keep >"$T/hostdir/keep"
  ln -s "$T/hostdir" "$BUNDLE/rootfs/evil"
  cfg append /mounts '{"destination":"/evil/x","type":"tmpfs","source":"tmpfs","options":["size=1m"]}'
  cmd 'echo inside >/evil/x/file && cat /evil/x/file'
  run_fg "$ID"
  # runc's behaviour: the symlink resolves inside the rootfs and the tmpfs is mounted there.
  assert_status 0
  assert_eq "$output" inside
  [ -d "$BUNDLE/rootfs$T/hostdir/x" ] || fail "the mount point was not made inside the rootfs"
  # The host dir is untouched and nothing got mounted on the host.
  assert_eq "$(ls -A "$T/hostdir")" keep
  assert_eq "$(cat "$T/hostdir/keep")" keep
  assert_eq "$(test_mounts)" ""
}

@test "bad input: /proc as a symlink in the image is refused" {
  private_rootfs
  mkdir "$T/hostdir"
  rmdir "$BUNDLE/rootfs/proc"
  ln -s "$T/hostdir" "$BUNDLE/rootfs/proc"
  refused "$ID" "mount /proc"
  assert_eq "$(ls -A "$T/hostdir")" ""
  # Also when it points inside the image.
  rm "$BUNDLE/rootfs/proc"
  ln -s tmp "$BUNDLE/rootfs/proc"
  refused "$ID" "mount /proc"
}

@test "bad input: RLIMIT_NOFILE above the host's hard limit names RLIMIT_NOFILE and CAP_SYS_RESOURCE" {
  [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt 1048576 ] || skip "the host allows nofile 1048576"
  cfg set /process/rlimits '[{"type":"RLIMIT_NOFILE","hard":1048576,"soft":1048576}]'
  refused "$ID" RLIMIT_NOFILE CAP_SYS_RESOURCE
}

@test "bad input: a negative oomScoreAdj without CAP_SYS_RESOURCE names CAP_SYS_RESOURCE" {
  local eff
  eff=$(sed -n 's/^CapEff:\t//p' /proc/self/status)
  (((0x$eff >> 24) & 1)) && skip "this host has CAP_SYS_RESOURCE"
  cfg set /process/oomScoreAdj -500
  refused "$ID" "oom_score_adj" "-500" CAP_SYS_RESOURCE
}

@test "bad input: an apparmorProfile without AppArmor is refused" {
  [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" != Y ] || skip "AppArmor is enabled here"
  cfg set /process/apparmorProfile '"vigil-test"'
  refused "$ID" "AppArmor is not enabled"
}

@test "bad input: a bind mount of a missing source is refused" {
  cfg append /mounts "{\"destination\":\"/root\",\"type\":\"bind\",\"source\":\"$T/no-such-dir\",\"options\":[\"rbind\"]}"
  refused "$ID" "mount /root" "$T/no-such-dir"
}

# nested N: N nested JSON arrays, "[[…]]".
nested() {
  # tr, not ${pad// /[}: bash's substitution takes seconds on 100000 characters.
  printf '%*s' "$1" '' | tr ' ' '['
  printf '%*s' "$1" '' | tr ' ' ']'
}

@test "bad input: JSON nested 100000 deep is refused in every input vigil reads, 1000 deep is not" {
  local config deep
  config=$(cat "$BUNDLE/config.json")
  deep=$(nested 100000)
  # config.json, whose linux.seccomp is read from the same text.
  printf '%s' "${config%\}}, \"x\": $(nested 1000)}" >"$BUNDLE/config.json"
  create_ok "$ID-1000"
  vigil delete --force "$ID-1000"
  printf '%s' "${config%\}}, \"x\": $deep}" >"$BUNDLE/config.json"
  refused "$ID" "$BUNDLE/config.json: invalid JSON at line" "nested deeper than 1024 levels"
  # A policy file.
  printf '%s' "$config" >"$BUNDLE/config.json"
  printf '{"version": 1, "x": %s}' "$deep" >"$T/policy.json"
  run vigil --policy "$T/policy.json" create --bundle "$BUNDLE" "$ID"
  assert_status 1
  assert_contains "$output" "$T/policy.json: invalid JSON at line 1, column 1044: nested deeper than 1024 levels"
  run vigil policy check "$T/policy.json"
  assert_status 1
  assert_contains "$output" "nested deeper than 1024 levels"
  assert_clean
  # exec --process and update --resources, on a running container.
  cmd 'echo ready; while :; do sleep 1; done'
  run_detached_ok "$ID"
  wait_ready "$ID"
  printf '%s' "$deep" >"$T/deep.json"
  run vigil exec --process "$T/deep.json" "$ID"
  assert_status 1
  assert_contains "$output" "--process $T/deep.json: invalid JSON at line 1, column 1025: nested deeper than 1024 levels"
  run vigil update --resources "$T/deep.json" "$ID"
  assert_status 1
  assert_contains "$output" "--resources $T/deep.json: invalid JSON at line 1, column 1025: nested deeper than 1024 levels"
  # A state file someone else wrote.
  cp "$STATE/$ID/state.json" "$T/state.json"
  printf '%s' "$deep" >"$STATE/$ID/state.json"
  run vigil state "$ID"
  assert_status 1
  assert_contains "$output" "corrupt state: state.json: invalid JSON at line 1, column 1025: nested deeper than 1024 levels"
  cp "$T/state.json" "$STATE/$ID/state.json"
  vigil delete --force "$ID"
  assert_clean
}

@test "bad input: a memory limit too small for the runtime's setup says the init was OOM-killed" {
  compgen -G "/sys/fs/cgroup/memory/memory.limit_in_bytes" >/dev/null || [ -f /sys/fs/cgroup/cgroup.controllers ] ||
    skip "no memory controller on this host"
  cfg set /linux/resources '{"memory":{"limit":4096}}'
  leave_running "$ID" --log "$T/log" create --bundle "$BUNDLE"
  assert_status 1
  assert_eq "$output" "vigil: container init was OOM-killed during setup (memory limit too low?)"
  grep -q 'level=error msg="container init was OOM-killed during setup (memory limit too low?)"' "$T/log" ||
    fail "not in the log: $(cat "$T/log")"
  assert_clean
}
