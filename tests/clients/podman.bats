#!/usr/bin/env bats
# Podman 4.3 (through conmon) with vigil as its runtime: what podman users do every day.
# Podman's storage, run dir and config are the suite's own; containers go in a cgroup parent
# of the suite's, removed at the end.

load client_helpers

CGROUP_PARENT=vigil-podman-tests

setup_file() {
  command -v podman >/dev/null || skip "podman is not installed (make deps installs it)"
  make_podman_env "$BATS_FILE_TMPDIR/podman"
  import_busybox
}

teardown_file() {
  make_podman_env "$BATS_FILE_TMPDIR/podman"
  podman_clean "$BATS_FILE_TMPDIR/podman"
  # shellcheck disable=SC2046
  remove_cgroup_trees $(cgroup_dirs_named "$CGROUP_PARENT")
}

setup() {
  make_podman_env "$BATS_FILE_TMPDIR/podman"
  T=$BATS_TEST_TMPDIR
  TOKEN=vigil-podman-${BATS_SUITE_TEST_NUMBER}-$RANDOM
  NAME=p${BATS_SUITE_TEST_NUMBER}-$$
}

# podman rm removes what the test left running; then nothing of it may remain: no state in
# vigil for its containers, no process carrying the test's token.
teardown() {
  remove_host_profile
  local ids id left=""
  ids=$("${PODMAN[@]}" ps -a -q --no-trunc 2>/dev/null)
  "${PODMAN[@]}" rm -a -f -t 0 >/dev/null 2>&1 || true
  for id in $ids; do vigil_has_state "$id" && left+=" $id"; done
  [ -z "$left" ] || fail "vigil state left after podman rm:$left"
  local procs
  procs=$(grep -lsaF "$TOKEN" /proc/[0-9]*/environ | cut -d/ -f3)
  [ -z "$procs" ] || fail "processes left: $procs"
}

# p ARGS...: podman with the suite's settings; run/create get the test's token and cgroup parent.
p() {
  local verb=$1
  shift
  case $verb in
    run | create) set -- "$verb" --network none --cgroup-parent "/$CGROUP_PARENT" -e "VIGIL_TEST_TOKEN=$TOKEN" "$@" ;;
    *) set -- "$verb" "$@" ;;
  esac
  timeout -k 2 60 "${PODMAN[@]}" "$@" </dev/null 3>&-
}

# vigil_has_state ID: vigil (default root, where conmon's calls put it) knows container ID.
vigil_has_state() { [ -d "/run/vigil/$1" ]; }

@test "podman: run --rm prints the output, keeps the exit code, and leaves nothing" {
  run p run --rm --cidfile "$T/cid" --name "$NAME" localhost/busybox sh -c 'echo hello from $(cat /proc/1/comm); exit 3'
  assert_status 3
  assert_eq "$output" "hello from sh"
  run "${PODMAN[@]}" ps -a -q
  assert_eq "$output" ""
  ! vigil_has_state "$(cat "$T/cid")" || fail "vigil state left for $(cat "$T/cid")"
}

@test "podman: a missing program is exit 127 with vigil's message" {
  run -127 p run --rm localhost/busybox /no/such/program
  assert_status 127
  assert_contains "$output" "/no/such/program"
}

@test "podman: run -d, then exec, logs, top and inspect" {
  local id
  id=$(p run -d --name "$NAME" localhost/busybox sh -c 'echo started; while :; do sleep 1; done')
  vigil_has_state "$id" || fail "vigil has no state for $id"
  wait_for sh -c "\"\${@}\" logs $NAME | grep -q started" _ "${PODMAN[@]}"
  run p exec "$NAME" sh -c 'echo in-exec $(cat /proc/self/cgroup | grep -c memory); exit 4'
  assert_status 4
  assert_eq "$output" "in-exec 1"
  run p top "$NAME" pid args
  assert_status 0
  assert_contains "$output" "while :; do sleep 1; done"
  assert_eq "$(p inspect "$NAME" --format '{{.State.Status}} {{.State.Pid}}')" "running $(vigil_state_field "$id" pid)"
  p rm -f -t 0 "$NAME" >/dev/null
  ! vigil_has_state "$id" || fail "vigil state of $id is left after podman rm"
}

vigil_state_field() {
  "$VIGIL" state "$1" | "$JSONEDIT" /dev/stdin get "/$2"
}

@test "podman: stop sends SIGTERM, then SIGKILL after the timeout; inspect shows the exit code" {
  p run -d --name "$NAME" localhost/busybox sh -c 'trap "echo got-term; exit 0" TERM; echo ready; while :; do sleep 0.1; done' >/dev/null
  wait_for sh -c "\"\${@}\" logs $NAME | grep -q ready" _ "${PODMAN[@]}"
  p stop -t 5 "$NAME" >/dev/null
  assert_eq "$(p inspect "$NAME" --format '{{.State.Status}} {{.State.ExitCode}}')" "exited 0"
  assert_contains "$(p logs "$NAME")" got-term
  # A shell as pid 1 without a trap ignores SIGTERM: podman has to kill it.
  p run -d --name "$NAME-2" localhost/busybox sh -c 'echo ready; while :; do sleep 0.1; done' >/dev/null
  wait_for sh -c "\"\${@}\" logs $NAME-2 | grep -q ready" _ "${PODMAN[@]}"
  local t0=$SECONDS
  p stop -t 1 "$NAME-2" >/dev/null 2>&1
  assert_eq "$(p inspect "$NAME-2" --format '{{.State.ExitCode}}')" 137
  [ $((SECONDS - t0)) -lt 10 ] || fail "stop took $((SECONDS - t0)) s"
}

@test "podman: kill delivers the signal asked for; rm -f removes a running container" {
  p run -d --name "$NAME" localhost/busybox sh -c 'trap "echo got-usr1" USR1; echo ready; while :; do sleep 0.1; done' >/dev/null
  wait_for sh -c "\"\${@}\" logs $NAME | grep -q ready" _ "${PODMAN[@]}"
  p kill -s USR1 "$NAME" >/dev/null
  wait_for sh -c "\"\${@}\" logs $NAME | grep -q got-usr1" _ "${PODMAN[@]}"
  assert_eq "$(p inspect "$NAME" --format '{{.State.Status}}')" running
  local pid
  pid=$(p inspect "$NAME" --format '{{.State.Pid}}')
  p rm -f -t 0 "$NAME" >/dev/null
  ! kill -0 "$pid" 2>/dev/null || [ "$(awk '{print $3}' /proc/$pid/stat)" = Z ] || fail "pid $pid still runs"
  run "${PODMAN[@]}" ps -a -q
  assert_eq "$output" ""
}

@test "podman: run -it gives a terminal of the size of ours, and exec -it too" {
  run "$PTY" --timeout 30 --size 20x60 'expect=# ' 'send=tty; stty size; exit 6\r' -- \
    "${PODMAN[@]}" run -it --rm --network none --cgroup-parent "/$CGROUP_PARENT" -e "VIGIL_TEST_TOKEN=$TOKEN" localhost/busybox sh
  assert_status 6
  assert_contains "$output" $'/dev/pts/0\n20 60'
  p run -d --name "$NAME" localhost/busybox sleep 1000 >/dev/null
  run "$PTY" --timeout 30 --size 11x33 -- "${PODMAN[@]}" exec -it "$NAME" sh -c 'tty; stty size; exit 2'
  assert_status 2
  assert_contains "$output" "11 33"
  assert_contains "$output" /dev/pts/
}

@test "podman: --memory, --pids-limit and --cpus reach the cgroup; stats reads it back" {
  p run -d --name "$NAME" --memory 64m --pids-limit 50 --cpus 0.5 localhost/busybox sleep 1000 >/dev/null
  run p exec "$NAME" cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max \
    /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us
  assert_status 0
  assert_eq "$output" $'67108864\n50\n50000\n100000'
  run p stats --no-stream --format '{{.MemLimit}} {{.PIDs}}' "$NAME"
  assert_status 0
  assert_eq "$output" "67108864 1"
}

@test "podman: pause freezes the container, unpause thaws it" {
  p run -d --name "$NAME" localhost/busybox sleep 1000 >/dev/null
  local id
  id=$(p inspect "$NAME" --format '{{.Id}}')
  p pause "$NAME" >/dev/null
  assert_eq "$(p inspect "$NAME" --format '{{.State.Status}}')" paused
  assert_eq "$(vigil_state_field "$id" status)" paused
  run p exec "$NAME" true
  [ "$status" -ne 0 ] || fail "exec into a paused container succeeded"
  p unpause "$NAME" >/dev/null
  assert_eq "$(vigil_state_field "$id" status)" running
  run p exec "$NAME" echo thawed
  assert_eq "$output" thawed
}

@test "podman: --read-only, --user, --cap-drop, --hostname and --annotation" {
  local id
  id=$(p create --name "$NAME" --read-only --user 1000:1000 --cap-drop ALL --hostname hh --annotation org.example.test=yes \
    localhost/busybox sh -c 'id -u; id -g; hostname; grep CapEff /proc/self/status; touch /x 2>&1; touch /tmp/x && echo tmp-writable')
  run p start -a "$NAME"
  assert_eq "${lines[0]}" 1000
  assert_eq "${lines[1]}" 1000
  assert_eq "${lines[2]}" hh
  assert_contains "${lines[3]}" 0000000000000000
  assert_contains "$output" "Read-only file system"
  assert_contains "$output" tmp-writable
  # The annotation is in the config vigil got.
  assert_eq "$("$JSONEDIT" "$BATS_FILE_TMPDIR/podman/storage/vfs-containers/$id/userdata/config.json" get /annotations/org.example.test)" yes
}

@test "podman: seccomp: the default profile, a profile from a file, and unconfined" {
  # Podman's default profile: an allow-list that vigil loads as given.
  local id
  id=$(p create --name "$NAME" localhost/busybox grep -E "^Seccomp(_filters)?:" /proc/self/status)
  run p start -a "$NAME"
  assert_eq "$output" $'Seccomp:\t2\nSeccomp_filters:\t1'
  local CFG=$BATS_FILE_TMPDIR/podman/storage/vfs-containers/$id/userdata/config.json
  assert_eq "$("$JSONEDIT" "$CFG" get /linux/seccomp/defaultAction)" SCMP_ACT_ERRNO
  local rules
  rules=$("$JSONEDIT" "$CFG" get /linux/seccomp/syscalls | grep -o '"action"' | wc -l)
  [ "$rules" -gt 10 ] || fail "podman's default profile has only $rules rules"
  echo '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}' >"$T/profile.json"
  run p run --rm --security-opt "seccomp=$T/profile.json" localhost/busybox sh -c 'mkdir /tmp/d 2>&1; touch /tmp/f && echo touch-ok'
  assert_contains "$output" "Operation not permitted"
  assert_contains "$output" touch-ok
  run p run --rm --security-opt seccomp=unconfined localhost/busybox grep Seccomp: /proc/self/status
  assert_eq "$output" "Seccomp:	0"
}

@test "podman: seccomp: Docker's profiles of 2017 and 2020 run the container, supervised too" {
  local profile
  for profile in docker-2017 docker-2020; do
    run p run --rm --security-opt "seccomp=$REPO/tests/integration/seccomp-profiles/$profile.json" localhost/busybox \
      sh -c 'echo hello; grep Seccomp: /proc/self/status'
    assert_status 0
    assert_eq "$output" $'hello\nSeccomp:\t2'
  done
  run p run --rm --annotation run.vigil.supervise=true \
    --security-opt "seccomp=$REPO/tests/integration/seccomp-profiles/docker-2017.json" localhost/busybox \
    sh -c 'echo hello; grep Seccomp_filters: /proc/self/status'
  # The profile and the supervisor's filter over it.
  assert_status 0
  assert_eq "$output" $'hello\nSeccomp_filters:\t2'
}

@test "podman: -v bind mounts (rw and ro) and --tmpfs" {
  mkdir "$T/vol"
  echo from-host >"$T/vol/in"
  run p run --rm -v "$T/vol:/data" -v "$T/vol:/ro:ro" --tmpfs /scratch:size=1m localhost/busybox \
    sh -c 'cat /data/in; echo from-container >/data/out; touch /ro/x 2>&1; grep " /scratch " /proc/self/mountinfo; touch /scratch/f && echo scratch-ok'
  assert_status 0
  assert_eq "${lines[0]}" from-host
  assert_contains "$output" "Read-only file system"
  assert_contains "$output" "size=1024k"
  assert_contains "$output" scratch-ok
  assert_eq "$(cat "$T/vol/out")" from-container
  # --tmpfs over an image directory starts with its files (tmpcopyup).
  run p run --rm --tmpfs /etc localhost/busybox head -1 /etc/passwd
  assert_eq "$output" "root:x:0:0:root:/root:/bin/sh"
}

@test "podman: --annotation run.vigil.supervise=true runs the container supervised, exec too" {
  local id
  id=$(p run -d --name "$NAME" --annotation run.vigil.supervise=true localhost/busybox sleep 1000)
  local sup pid
  sup=$("$JSONEDIT" "/run/vigil/$id/state.json" get /supervisorPid)
  pid=$(p inspect "$NAME" --format '{{.State.Pid}}')
  [ "$sup" -gt 0 ] || fail "no supervisor"
  # Its filter is stacked on podman's profile; the guard under it would kill the container
  # should it die; the init, past its exec, is traced by nobody.
  assert_eq "$(awk '/^Seccomp_filters:/ {print $2}' "/proc/$pid/status")" 2
  pgrep -P "$sup" -x vigil-guard >/dev/null || fail "no guard under the supervisor"
  assert_eq "$(awk '/^TracerPid:/ {print $2}' "/proc/$pid/status")" 0
  run p exec "$NAME" echo exec-ok
  assert_eq "$output" exec-ok
  p rm -f -t 0 "$NAME" >/dev/null
  wait_for sh -c "! [ -e /proc/$sup ] || [ \"\$(awk '{print \$3}' /proc/$sup/stat)\" = Z ]"
}

@test "podman: --annotation run.vigil.policy names a profile whose paths rules Landlock holds" {
  host_profile "vigil-test-$$" "$WRITE_TMP_ONLY"
  run p run --rm --annotation "run.vigil.policy=vigil-test-$$" localhost/busybox \
    sh -c 'echo kept >/tmp/x && cat /tmp/x; (echo lost >/etc/x) 2>&1; head -1 /etc/passwd'
  assert_status 0
  assert_eq "$output" $'kept\nsh: can\'t create /etc/x: Permission denied\nroot:x:0:0:root:/root:/bin/sh'
}

@test "podman: a profile's supervised path rule keeps one file unread, by any name" {
  host_profile "vigil-test-$$" '{"version": 1, "supervise": true, "paths": {"rules": [{"path": "/etc/group", "access": ["read"], "action": "deny"}]}}'
  run p run --rm --annotation "run.vigil.policy=vigil-test-$$" localhost/busybox \
    sh -c 'head -1 /etc/passwd; ln -s /etc/group /tmp/g; cat /tmp/g /proc/self/root/etc/group 2>&1; true'
  assert_status 0
  assert_eq "$output" $'root:x:0:0:root:/root:/bin/sh\ncat: can\'t open \'/tmp/g\': Permission denied\ncat: can\'t open \'/proc/self/root/etc/group\': Permission denied'
}

@test "podman: --annotation run.vigil.memory.max and vm_max limit the container's processes" {
  run p run --rm --annotation run.vigil.supervise=true --annotation run.vigil.memory.max=64M \
    --annotation run.vigil.memory.vm_max=1G localhost/busybox sh -c 'ulimit -H -d; ulimit -H -v'
  [ "$status" -eq 0 ] || fail "podman run failed ($status): $output"
  assert_eq "$output" $'65536\n1048576'
}

@test "podman: --annotation run.vigil.memory.container_max=cgroup turns --memory into ENOMEM, not an OOM kill" {
  local alloc=$REPO/build/tests/exec/alloc
  [ -f "$alloc" ] || fail "$alloc is missing: make integration builds it"
  # The container's program mallocs and writes 1000 bytes at a time. Alone, the cgroup's OOM
  # killer ends it (SIGKILL: 137; podman's OOMKilled stays false on this kind of host, with
  # runc too); with the annotation, malloc returns NULL first and it exits by itself.
  # conmon 2.1.6 (Debian 12) writes its "oom" mark in its working directory: not the checkout's.
  cd "$BATS_TEST_TMPDIR"
  run p run --name "$NAME-oom" --memory 128m -v "$alloc:/alloc:ro" localhost/busybox /alloc small
  assert_eq "$(p inspect "$NAME-oom" --format '{{.State.ExitCode}}')" 137
  run p run --name "$NAME" --memory 128m --annotation run.vigil.supervise=true \
    --annotation run.vigil.memory.container_max=cgroup -v "$alloc:/alloc:ro" localhost/busybox /alloc small
  [ "$status" -eq 0 ] || fail "podman run failed ($status): $output"
  assert_contains "$output" "then ENOMEM"
  assert_eq "$(p inspect "$NAME" --format '{{.State.OOMKilled}} {{.State.ExitCode}}')" "false 0"
  # action=kill: the process that passes the limit is killed, the container goes on.
  run p run --rm --annotation run.vigil.supervise=true --annotation run.vigil.memory.max=64M \
    --annotation run.vigil.memory.action=kill -v "$alloc:/alloc:ro" localhost/busybox sh -c '/alloc shared; echo "status $?"'
  assert_contains "$output" "status 137"
}

@test "podman: --annotation run.vigil.learn=true learns; the policy suggested from it runs the same work as a profile" {
  host_baseline '{"version": 1, "allow_learn": true}'
  local work='echo hello; head -1 /etc/passwd; ls /etc >/dev/null && echo listed'
  run p run --name "$NAME" --annotation run.vigil.learn=true localhost/busybox sh -c "$work"
  [ "$status" -eq 0 ] || fail "podman run failed ($status): $output"
  local learnt=$output id
  id=$(p inspect "$NAME" --format '{{.Id}}')
  # conmon deleted it from vigil when it exited: what it learnt was kept.
  "$VIGIL" policy suggest "$id" >"$T/suggested.json" || fail "vigil policy suggest $id failed"
  forget_learned /run/vigil "$id"
  p rm "$NAME" >/dev/null
  assert_eq "$(jq -c '[.exec.default, [.exec.rules[].path]]' "$T/suggested.json")" '["deny",["/bin/busybox"]]'
  host_profile "vigil-test-$$" "$(cat "$T/suggested.json")"
  run p run --rm --annotation "run.vigil.policy=vigil-test-$$" localhost/busybox \
    sh -c "$work; cp /bin/busybox /tmp/bb; /tmp/bb true 2>/dev/null || echo refused"
  [ "$status" -eq 0 ] || fail "podman run under the suggested profile failed ($status): $output"
  assert_eq "$output" "$learnt"$'\nrefused'
}
