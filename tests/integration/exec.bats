#!/usr/bin/env bats
# vigil exec: a new process in a running container's namespaces and cgroup.

load helpers

setup() {
  vigil_setup
  cfg append /mounts '{"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev"]}'
  cmd 'echo ready; while :; do sleep 1; done'
}
teardown() { vigil_teardown; }

exec_fg() {
  status=0
  output=$(timeout -k 2 "$VIGIL_TIMEOUT" "$VIGIL" --root "$STATE" exec "$@" </dev/null 2>"$T/exec.err" 3>&-) || status=$?
  stderr=$(cat "$T/exec.err")
  mapfile -t lines <<<"$output"
}

@test "exec: joins every namespace and the cgroup, and propagates the exit code" {
  run_detached_ok "$ID"
  wait_ready "$ID"
  local pid
  pid=$(init_pid "$ID")
  exec_fg "$ID" sh -c 'for n in mnt pid uts ipc net; do readlink /proc/self/ns/$n; done; echo $$; cut -d: -f3 /proc/self/cgroup | sort -u; exit 7'
  assert_status 7
  local expected
  expected=$(readlink /proc/$pid/ns/mnt /proc/$pid/ns/pid /proc/$pid/ns/uts /proc/$pid/ns/ipc /proc/$pid/ns/net)
  assert_eq "$(printf '%s\n' "${lines[@]:0:5}")" "$expected"
  [ "${lines[5]}" -gt 1 ] || fail "not in the container's pid namespace: pid ${lines[5]}"
  assert_eq "${lines[6]}" /
  vigil delete --force "$ID"
  assert_clean
}

@test "exec: user, cwd, env, extra capability, no_new_privs, and no fd of ours" {
  run_detached_ok "$ID"
  wait_ready "$ID"
  exec_fg --user 1000:1001 --additional-gids 5 --cwd /tmp -e FOO=bar --cap CAP_NET_RAW --no-new-privs "$ID" \
    sh -c 'id; pwd; echo $FOO; grep -E "CapEff|NoNewPrivs" /proc/self/status; ls /proc/self/fd'
  assert_status 0
  assert_eq "${lines[0]}" "uid=1000 gid=1001 groups=5"
  assert_eq "${lines[1]}" /tmp
  assert_eq "${lines[2]}" bar
  assert_contains "$output" "NoNewPrivs:	1"
  assert_eq "$(printf '%s\n' "${lines[@]:5}" | tr '\n' ' ')" "0 1 2 3 "
}

@test "exec: --process takes a whole process JSON; --detach and --pid-file" {
  run_detached_ok "$ID"
  wait_ready "$ID"
  echo '{"args":["sh","-c","echo from-process-json >/tmp/out"],"cwd":"/","env":["PATH=/bin"],"user":{"uid":0,"gid":0}}' >"$T/p.json"
  exec_fg --process "$T/p.json" "$ID"
  assert_status 0
  exec_fg "$ID" cat /tmp/out
  assert_eq "$output" from-process-json
  # Detached, the process keeps vigil's stdio: a file, not a pipe anyone waits on.
  timeout 20 "$VIGIL" --root "$STATE" exec --detach --pid-file "$T/exec.pid" "$ID" sleep 30 >"$T/detached.out" 2>&1 </dev/null 3>&-
  local p
  p=$(cat "$T/exec.pid")
  wait_for grep -q sleep /proc/$p/cmdline
  kill -9 "$p"
}

@test "exec: into a stopped, paused or missing container, and a bad user, fail clearly" {
  exec_fg "$ID" true
  assert_status 1
  assert_contains "$stderr" "does not exist"
  run_detached_ok "$ID"
  wait_ready "$ID"
  exec_fg --user nobody "$ID" true
  assert_status 1
  assert_contains "$stderr" 'invalid user "nobody": numeric ids only'
  if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" != Y ]; then
    exec_fg --apparmor vigil-test "$ID" true
    assert_status 1
    assert_contains "$stderr" "process.apparmorProfile is set but AppArmor is not enabled on this host"
  fi
  exec_fg "$ID" /no/such/program
  assert_status 1
  assert_contains "$stderr" 'exec: "/no/such/program": ENOENT'
  vigil pause "$ID"
  exec_fg "$ID" true
  assert_status 1
  assert_contains "$stderr" "it is paused, not running"
  vigil resume "$ID"
  vigil kill "$ID" KILL
  wait_status "$ID" stopped
  exec_fg "$ID" true
  assert_status 1
  assert_contains "$stderr" "it is stopped, not running"
  vigil delete "$ID"
  assert_clean
}

@test "exec: --cgroup runs the process in an existing sub-cgroup, and nowhere outside the container's" {
  local mem=/sys/fs/cgroup/memory
  grep -q " $mem cgroup " /proc/mounts || skip "no cgroup v1 memory hierarchy at $mem"
  run_detached_ok "$ID"
  wait_ready "$ID"
  local dir=$mem$(grep ':memory:' /proc/"$(init_pid "$ID")"/cgroup | cut -d: -f3)
  mkdir "$dir/sub"
  exec_fg --cgroup memory:sub "$ID" sh -c 'grep -E ":(memory|pids):" /proc/self/cgroup | cut -d: -f2,3 | sort'
  assert_status 0
  assert_eq "$output" $'memory:/sub\npids:/'
  # A bare SUB means every hierarchy: only memory has one.
  exec_fg --cgroup sub "$ID" true
  assert_status 1
  assert_contains "$stderr" "--cgroup sub: "
  assert_contains "$stderr" "/sub does not exist"
  exec_fg --cgroup memory:../.. "$ID" true
  assert_status 1
  assert_contains "$stderr" "--cgroup memory:../..: must stay below the container's cgroup"
  exec_fg --cgroup nosuchcontroller:sub "$ID" true
  assert_status 1
  assert_contains "$stderr" "no cgroup hierarchy carries nosuchcontroller"
  # delete finds and kills a process in a sub-cgroup, and removes the sub-cgroup with the container's.
  timeout 20 "$VIGIL" --root "$STATE" exec -d --cgroup memory:sub --pid-file "$T/exec.pid" "$ID" sleep 100 \
    >/dev/null 2>&1 </dev/null 3>&-
  grep -qx "$(cat "$T/exec.pid")" "$dir/sub/cgroup.procs" || fail "the exec'd process is not in $dir/sub"
  vigil delete --force "$ID"
  [ ! -e "$dir" ] || fail "$dir is left"
  assert_clean
}
