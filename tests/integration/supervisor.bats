#!/usr/bin/env bats
# The supervisor: a container whose policy says supervise has its exec calls notified to the
# supervisor, which traces a process only from its exec's judgement to its exec stop (the
# init for life); the supervisor lives exactly as long as the container. Policies come from --policy, --policy-dir and annotations, never
# from this host's /etc.

load helpers

setup() {
  vigil_setup
  mkdir -p "$T/policies"
  POLICY_FLAGS=(--policy-dir "$T/policies")
}
teardown() { vigil_teardown; }

supervise_by_annotation() { cfg set /annotations '{"run.vigil.supervise": "true"}'; }

# supervisor_of ID: the supervisor's pid, from the container's state.json.
supervisor_of() { "$JSONEDIT" "$STATE/$1/state.json" get /supervisorPid; }

tracer_of() { awk '/^TracerPid:/ {print $2}' "/proc/$1/status"; }

alive() { [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

proc_state() { awk '{print $3}' "/proc/$1/stat"; }

@test "supervisor: a supervised container runs a shell script normally, its programs seen by the supervisor" {
  supervise_by_annotation
  cmd 'for i in 1 2 3; do /bin/echo line $i; done; ls /bin/sh >/dev/null && echo listed; exit 5'
  run_fg "$ID" 3>&-
  assert_status 5
  assert_eq "$output" $'line 1\nline 2\nline 3\nlisted'
  # Every exec went through the supervisor (it says so with --debug).
  cmd '/bin/echo via-echo'
  remember_id "$ID-2"
  timeout 20 "$VIGIL" --root "$STATE" --debug --log "$T/log" run --bundle "$BUNDLE" "$ID-2" >/dev/null 2>&1 </dev/null 3>&-
  grep -q "supervisor: pid [0-9]* execve /bin/echo (/bin/busybox): allowed" "$T/log" || fail "no exec notification logged: $(cat "$T/log")"
  # run forked the supervisor, and reaped it: not even a zombie is left.
  local sup
  sup=$(sed -n 's/.*is supervised by pid \([0-9]*\).*/\1/p' "$T/log")
  [ -n "$sup" ] || fail "no supervisor pid logged"
  [ ! -e "/proc/$sup" ] || fail "supervisor $sup is left: $(cat /proc/$sup/stat)"
  assert_clean
}

@test "supervisor: a policy that lets every program run is not asked about execs, and traces nothing" {
  echo '{"version": 1, "supervise": true, "exec": {"allow_memfd": true}}' >"$T/host.json"
  cmd 'for i in 1 2; do /bin/echo line $i; done; echo ready; while :; do sleep 1; done'
  leave_running "$ID" --policy "$T/host.json" --debug --log "$T/log" run -d --bundle "$BUNDLE"
  assert_status 0
  wait_ready "$ID"
  file_has "$(out_file "$ID")" "line 2" || fail "the script did not run: $(container_output "$ID")"
  local init sup child
  init=$(init_pid "$ID")
  sup=$(supervisor_of "$ID")
  assert_eq "$(tracer_of "$init")" 0
  child=$(pgrep -P "$init" | head -1)
  [ -n "$child" ] || fail "no child of the init"
  assert_eq "$(tracer_of "$child")" 0
  # What kills the container should the supervisor die: CAP_KILL and nothing else.
  local guard
  guard=$(pgrep -P "$sup" -x vigil-guard) || fail "no guard under the supervisor: $(pgrep -l -P "$sup")"
  assert_eq "$(awk '/^(CapEff|CapPrm|CapBnd|NoNewPrivs):/ {printf "%s ", $2}' "/proc/$guard/status")" \
    "0000000000000020 0000000000000020 0000000000000000 1 "
  ! grep -q "execve" "$T/log" || fail "an exec was judged: $(grep execve "$T/log")"
  vigil delete --force "$ID"
  assert_clean
}

# untraced_as PID COMM: PID runs COMM, and nothing traces it.
untraced_as() {
  [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] && [ "$(tracer_of "$1")" = 0 ]
}

@test "supervisor: a fork is never traced, an exec only up to its exec stop; the supervisor is in the host's namespaces" {
  supervise_by_annotation
  # A subshell that never execs, and a program that did.
  cmd '( while :; do read x; done ) & sleep 100 & echo ready; wait'
  run_detached_ok "$ID"
  wait_ready "$ID"
  local init sup sub sleeper
  init=$(init_pid "$ID")
  sup=$(supervisor_of "$ID")
  [ "$sup" -gt 0 ] || fail "no supervisor recorded"
  wait_for untraced_as "$init" sh
  assert_eq "$(readlink "/proc/$sup/ns/pid")" "$(readlink /proc/self/ns/pid)"
  assert_eq "$(readlink "/proc/$sup/ns/mnt")" "$(readlink /proc/self/ns/mnt)"
  # It confined itself, every thread of it.
  local t
  for t in /proc/"$sup"/task/*; do
    assert_eq "$(awk '/^(NoNewPrivs|Seccomp):/ {printf "%s ", $2}' "$t/status")" "1 2 "
  done
  # Its socket for exec is root's only.
  assert_eq "$(stat -c %a "$STATE/$ID/supervisor.sock")" 600
  sub=$(pgrep -P "$init" -x sh | head -1)
  sleeper=$(pgrep -P "$init" -x sleep | head -1)
  [ -n "$sub" ] && [ -n "$sleeper" ] || fail "children of the init: $(pgrep -l -P "$init")"
  assert_eq "$(tracer_of "$sub")" 0
  wait_for untraced_as "$sleeper" sleep
  # An exec'd process too: let go after its exec stop.
  timeout 20 "$VIGIL" --root "$STATE" exec -d --pid-file "$T/exec.pid" "$ID" sleep 100 </dev/null >/dev/null 2>&1 3>&-
  wait_for untraced_as "$(cat "$T/exec.pid")" sleep
  vigil delete --force "$ID"
  wait_for sh -c "! [ -e /proc/$sup ] || [ \"\$(awk '{print \$3}' /proc/$sup/stat)\" = Z ]"
  assert_clean
}

@test "supervisor: an execve that fails after it was allowed, and one from a thread other than the main one" {
  supervise_by_annotation
  private_rootfs
  cp "$REPO/build/tests/exec/debug" "$BUNDLE/rootfs/debug"
  # The init execs from a second thread: still the init, let go after its exec stop.
  cfg set /process/args '["/debug", "threadexec", "/bin/sh", "-c", "/debug failexec & wait"]'
  run_detached_ok "$ID"
  wait_for file_has "$(out_file "$ID")" waiting
  assert_contains "$(container_output "$ID")" "exec: E2BIG"
  local init failed
  init=$(init_pid "$ID")
  assert_eq "$(cat "/proc/$init/comm")" sh
  assert_eq "$(tracer_of "$init")" 0
  # Seized for an exec that then failed: let go all the same.
  failed=$(pgrep -P "$init" -x debug | head -1)
  [ -n "$failed" ] || fail "no debug process under the init: $(pgrep -l -P "$init")"
  wait_for untraced_as "$failed" debug
  vigil delete --force "$ID"
  assert_clean
}

@test "supervisor: debuggers work in the container; a traced process may exec only with exec.allow_debuggers" {
  private_rootfs
  cp "$REPO/build/tests/exec/debug" "$BUNDLE/rootfs/debug"
  echo '{"version": 1, "supervise": true}' >"$T/strict.json"
  echo '{"version": 1, "supervise": true, "exec": {"allow_debuggers": true}}' >"$T/debuggers.json"
  cfg set /process/args '["/debug", "attach"]'
  run vigil --policy "$T/strict.json" run --bundle "$BUNDLE" "$ID-attach"
  assert_status 0
  assert_eq "$output" $'attached, stopped\nresumed\ndetached'
  # PTRACE_TRACEME, then an exec: refused, and the audit log names the tracer.
  cfg set /process/args '["/debug", "traceme", "/bin/true"]'
  leave_running "$ID" --policy "$T/strict.json" run -d --bundle "$BUNDLE"
  wait_status "$ID" stopped
  assert_eq "$(container_output "$ID")" $'exec: EPERM\nchild: exit 126'
  grep '"rule":"exec.allow_debuggers"' "$STATE/$ID/audit.log" | grep '"action":"deny"' | grep -q 'traced by pid [0-9]* (debug)' ||
    fail "no audit line naming the tracer: $(cat "$STATE/$ID/audit.log")"
  vigil delete "$ID"
  # Allowed: it runs with the debugger's exec stop, and is audited.
  leave_running "$ID-2" --policy "$T/debuggers.json" run -d --bundle "$BUNDLE"
  wait_status "$ID-2" stopped
  assert_eq "$(container_output "$ID-2")" $'exec stop\nchild: exit 0'
  grep '"rule":"exec.allow_debuggers"' "$STATE/$ID-2/audit.log" | grep '"action":"warn"' | grep -q 'runs with no exec stop' ||
    fail "no audit line: $(cat "$STATE/$ID-2/audit.log")"
  vigil delete "$ID-2"
  assert_clean
}

@test "supervisor: signals and job control work under ptrace" {
  supervise_by_annotation
  cmd 'trap "echo got-usr1" USR1; echo ready; while :; do sleep 0.1; done'
  run_detached_ok "$ID"
  wait_ready "$ID"
  local init
  init=$(init_pid "$ID")
  vigil kill "$ID" USR1
  wait_for file_has "$(out_file "$ID")" got-usr1
  # Stop and continue of a process of the container (a group stop, kept with PTRACE_LISTEN).
  timeout 20 "$VIGIL" --root "$STATE" exec -d --pid-file "$T/exec.pid" "$ID" sleep 100 </dev/null >/dev/null 2>&1 3>&-
  local p
  p=$(cat "$T/exec.pid")
  kill -STOP "$p"
  wait_for sh -c "[ \"\$(awk '{print \$3}' /proc/$p/stat)\" = t ] || [ \"\$(awk '{print \$3}' /proc/$p/stat)\" = T ]"
  kill -CONT "$p"
  wait_for sh -c "[ \"\$(awk '{print \$3}' /proc/$p/stat)\" = S ]"
  kill -TERM "$p"
  wait_for sh -c "! [ -e /proc/$p ] || [ \"\$(awk '{print \$3}' /proc/$p/stat)\" = Z ]"
  assert_eq "$(state_of "$ID" status)" running
  vigil delete --force "$ID"
  assert_clean
}

@test "supervisor: ^Z stops a job and bg continues it, at a terminal, under ptrace" {
  supervise_by_annotation
  cfg set /process/terminal true
  cfg set /process/args '["sh"]'
  remember_id "$ID"
  run "$REPO/build/tests/pty_driver" --timeout 15 'expect=# ' 'send=sh -c "echo sta""rted; exec sleep 100"\r' \
    'expect=started' 'send=\x1a' 'expect=Stopped' 'send=bg\r' 'expect=# ' 'send=jobs\r' 'expect=Running' \
    'send=kill %1\r' 'expect=# ' 'send=wait; echo $((6*7)); exit 3\r' 'expect=42' \
    -- "$VIGIL" --root "$STATE" run --bundle "$BUNDLE" "$ID"
  assert_status 3
  assert_contains "$output" "Stopped"
  assert_contains "$output" "Running"
  assert_clean
}

@test "supervisor: a hand-in that never comes holds its tracer up at most a second" {
  supervise_by_annotation
  cmd 'echo ready; while :; do sleep 1; done'
  run_detached_ok "$ID"
  wait_ready "$ID"
  # A client of the exec socket that connects and sends nothing.
  bg python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
open(sys.argv[2], "w").close()
time.sleep(60)' "$STATE/$ID/supervisor.sock" "$T/connected"
  wait_for test -e "$T/connected"
  local t0=$EPOCHREALTIME
  run vigil exec "$ID" echo in
  assert_status 0
  assert_eq "$output" in
  local ms=$(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 ))
  (( ms < 3000 )) || fail "exec took $ms ms"
  kill "$BG_PID"
  wait "$BG_PID" 2>/dev/null || true
  vigil delete --force "$ID"
  assert_clean
}

@test "supervisor: it exits after the container and leaves nothing behind" {
  supervise_by_annotation
  cmd 'echo ready; read x'
  create_ok "$ID"
  local sup
  sup=$(supervisor_of "$ID")
  alive "$sup" || fail "supervisor $sup is not running"
  start_ok "$ID"
  wait_status "$ID" stopped
  wait_for sh -c "! [ -e /proc/$sup ] || [ \"\$(awk '{print \$3}' /proc/$sup/stat)\" = Z ]"
  [ ! -e "$STATE/$ID/supervisor.sock" ] || fail "the supervisor's socket is left"
  vigil delete "$ID"
  assert_clean
}

@test "supervisor: killing the supervisor kills the container" {
  supervise_by_annotation
  cmd 'echo ready; while :; do sleep 1; done'
  run_detached_ok "$ID"
  wait_ready "$ID"
  kill -9 "$(supervisor_of "$ID")"
  wait_status "$ID" stopped
  vigil delete "$ID"
  assert_clean
}

@test "supervisor: in a pid namespace the container shares, killing the supervisor still kills all of it" {
  # A pod's sandbox, whose pid namespace the supervised container joins (its init is not pid 1).
  create_ok "$ID-pod"
  local pod
  pod=$(init_pid "$ID-pod")
  local B=$T/bundle-b
  new_bundle "$B"
  local CFG=$B/config.json
  join_pid_namespace "$pod"
  cfg set /annotations '{"run.vigil.supervise": "true"}'
  cmd 'sleep 1000 & sleep 1000 & echo ready; wait'
  run_detached_ok "$ID"
  wait_ready "$ID"
  local init sup sleepers
  init=$(init_pid "$ID")
  sup=$(supervisor_of "$ID")
  sleepers=$(pgrep -P "$init" -x sleep | tr '\n' ' ')
  [ "$(wc -w <<<"$sleepers")" = 2 ] || fail "the init's children: $(pgrep -l -P "$init")"
  pgrep -P "$sup" -x vigil-guard >/dev/null || fail "no guard under the supervisor: $(pgrep -l -P "$sup")"
  kill -9 "$sup"
  local p
  for p in $init $sleepers; do
    wait_for sh -c "! [ -e /proc/$p ] || [ \"\$(awk '{print \$3}' /proc/$p/stat)\" = Z ]"
  done
  # The pod's sandbox is not the container's: it lives on.
  assert_eq "$(state_of "$ID-pod" status)" created
  vigil delete --force "$ID"
  vigil delete --force "$ID-pod"
  assert_clean
}

@test "supervisor: no policy, no supervisor" {
  cmd 'echo ready; while :; do sleep 1; done'
  run_detached_ok "$ID"
  wait_ready "$ID"
  assert_eq "$(supervisor_of "$ID")" 0
  assert_eq "$(tracer_of "$(init_pid "$ID")")" 0
  assert_eq "$(vigil policy show "$ID" | "$JSONEDIT" /dev/stdin get /supervise)" false
  vigil delete --force "$ID"
  assert_clean
}

@test "supervisor: the host's policy, a named profile, and annotations that may only tighten" {
  echo '{"version": 1, "supervise": true}' >"$T/host.json"
  cmd 'echo ready; while :; do sleep 1; done'
  leave_running "$ID" --policy "$T/host.json" run -d --bundle "$BUNDLE"
  assert_status 0
  [ "$(supervisor_of "$ID")" -gt 0 ] || fail "the host's policy did not supervise"
  run vigil policy show "$ID"
  assert_eq "$(json_get /supervise <<<"$output")" true
  vigil delete --force "$ID"
  # A pod author cannot turn it off, by annotation or by picking a laxer profile.
  cfg set /annotations '{"run.vigil.supervise": "false"}'
  leave_running "$ID" --policy "$T/host.json" create --bundle "$BUNDLE"
  assert_status 1
  assert_contains "$output" "annotation run.vigil.supervise: supervise=false would loosen the host's policy (supervise is true)"
  echo '{"version": 1}' >"$T/policies/lax.json"
  cfg set /annotations '{"run.vigil.policy": "lax"}'
  leave_running "$ID" --policy "$T/host.json" --policy-dir "$T/policies" create --bundle "$BUNDLE"
  assert_status 1
  assert_contains "$output" "policy profile lax: supervise=false would loosen the host's policy"
  # A profile picked by name turns it on.
  echo '{"version": 1, "supervise": true}' >"$T/policies/strict.json"
  cfg set /annotations '{"run.vigil.policy": "strict"}'
  leave_running "$ID" --policy-dir "$T/policies" run -d --bundle "$BUNDLE"
  assert_status 0
  [ "$(supervisor_of "$ID")" -gt 0 ] || fail "the profile did not supervise"
  vigil delete --force "$ID"
  assert_clean
}

@test "supervisor: a malformed policy, profile or annotation fails create with where the error is, and leaves nothing" {
  echo '{"version": 1, "supervize": true, "exec": {"requir_pie": true}}' >"$T/bad.json"
  leave_running "$ID" --policy "$T/bad.json" create --bundle "$BUNDLE"
  assert_status 1
  assert_contains "$output" "$T/bad.json: exec.requir_pie: unknown key"
  assert_contains "$output" "$T/bad.json: supervize: unknown key"
  leave_running "$ID" --policy "$T/missing.json" create --bundle "$BUNDLE"
  assert_status 1
  assert_contains "$output" "$T/missing.json"
  cfg set /annotations '{"run.vigil.supervise": "yes"}'
  create "$ID"
  assert_status 1
  assert_contains "$output" "annotation run.vigil.supervise=yes: must be true or false"
  cfg set /annotations '{"run.vigil.exec.requir_pie": "true"}'
  create "$ID"
  assert_status 1
  assert_contains "$output" "exec.requir_pie is not a policy key"
  cfg set /annotations '{"run.vigil.policy": "../../etc/x"}'
  create "$ID"
  assert_status 1
  assert_contains "$output" "a profile name is [A-Za-z0-9_.-], no path"
  assert_clean
}

@test "supervisor: policy check prints every error with its path; a supervised container cannot use listenerPath" {
  echo '{"version": 1, "supervise": "yes", "paths": {"x": 1}}' >"$T/bad.json"
  run vigil policy check "$T/bad.json"
  assert_status 1
  assert_contains "$output" "$T/bad.json: paths.x: unknown key"
  assert_contains "$output" "$T/bad.json: supervise: must be true or false"
  echo '{"version": 1, "supervise": true, "exec": {}, "memory": {}, "paths": {}}' >"$T/good.json"
  run vigil policy check "$T/good.json"
  assert_status 0
  assert_eq "$output" "$T/good.json: valid"
  supervise_by_annotation
  cfg set /linux/seccomp "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$T/agent.sock\",\"syscalls\":[{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"
  create "$ID"
  assert_status 1
  assert_contains "$output" "listenerPath cannot be used in a supervised container"
  assert_clean
}

@test "supervisor: vigil events streams the audit log's decisions" {
  supervise_by_annotation
  cmd 'echo ready; while :; do sleep 1; done'
  run_detached_ok "$ID"
  wait_ready "$ID"
  # Decisions are the supervisor's to write (exec, memory and path rules); one line here
  # stands for one, as the supervisor's AuditLog writes it.
  echo '{"time":"t1","id":"'"$ID"'","pid":7,"syscall":"execve","subject":"/bin/x","rule":"exec.rules[0]","action":"deny"}' \
    >>"$STATE/$ID/audit.log"
  bg sh -c "exec \"$VIGIL\" --root \"$STATE\" events --interval 60s \"$ID\" >\"$T/events\""
  wait_for file_has "$T/events" '"type":"audit"'
  echo '{"time":"t2","id":"'"$ID"'","pid":8,"syscall":"execve","subject":"/bin/y","rule":"exec.default","action":"kill"}' \
    >>"$STATE/$ID/audit.log"
  wait_for file_has "$T/events" '"subject":"/bin/y"'
  vigil kill "$ID" KILL
  wait_for file_has "$T/events" '"type":"exit"'
  assert_eq "$(grep -c '"type":"audit"' "$T/events")" 2
  assert_contains "$(cat "$T/events")" '"action":"deny"'
  vigil delete "$ID"
  assert_clean
}

@test "supervisor: vigil events --format text --action prints the refusals chosen, a line each, escaped" {
  supervise_by_annotation
  cmd 'echo ready; while :; do sleep 1; done'
  run_detached_ok "$ID"
  wait_ready "$ID"
  printf '%s\n' '{"time":"t1","id":"'"$ID"'","pid":7,"syscall":"openat","subject":"/tmp/a\nt9 pid 1 allow","rule":"paths.rules[0]","action":"deny","detail":""}' \
    '{"time":"t2","id":"'"$ID"'","pid":8,"syscall":"execve","subject":"/bin/y","rule":"exec.default","action":"warn","detail":""}' \
    '{"time":"t3","id":"'"$ID"'","pid":9,"syscall":"execve","subject":"/bin/z","rule":"exec.rules[1]","action":"kill","detail":"path rule"}' \
    >>"$STATE/$ID/audit.log"
  bg sh -c "exec \"$VIGIL\" --root \"$STATE\" events --format text --action deny --action kill --interval 60s \"$ID\" >\"$T/events\""
  wait_for file_has "$T/events" 'exec.rules'
  vigil kill "$ID" KILL
  wait_for file_has "$T/events" 'exit:'
  assert_eq "$(head -n 2 "$T/events")" 't1 pid 7 deny openat "/tmp/a\x0at9 pid 1 allow" paths.rules[0]
t3 pid 9 kill execve /bin/z exec.rules[1] ("path rule")'
  assert_contains "$(tail -n 1 "$T/events")" "exit: the container's init has exited"
  run vigil events --action maybe "$ID"
  assert_status 1
  assert_contains "$output" "events: --action: maybe is none of allow, warn, deny, kill, learn"
  vigil delete "$ID"
  assert_clean
}

@test "supervisor: a supervised create that fails leaves no process behind, at once" {
  supervise_by_annotation
  cfg append /mounts '{"destination": "/x", "type": "bind", "source": "/nonexistent-vigil-test", "options": ["bind"]}'
  create "$ID"
  assert_status 1
  assert_contains "$output" "open /nonexistent-vigil-test: ENOENT"
  # The supervisor and its guard go with create: the guard, seeing the supervisor die, does
  # not wait out a freeze of the cgroup create removed.
  WAIT_FOR_S=2 wait_for no_test_processes
  assert_clean
}

# inject PID NR ARGS...: the thread makes that system call, as code that subverted it would.
inject() { "$REPO/build/tests/inject" "$@"; }

# open_how FLAGS: openat2's struct open_how (FLAGS < 256, mode 0, resolve 0) as x:HEX, little-endian.
open_how() { printf 'x:%02x%046d' "$1" 0; }

@test "supervisor: it keeps only the capabilities its work needs, and refuses what it must not do" {
  supervise_by_annotation
  cmd 'echo still-supervised'
  create_ok "$ID"
  local sup status
  sup=$(supervisor_of "$ID")
  status=$(cat "/proc/$sup/status")
  # SYS_PTRACE, KILL, SYS_CHROOT, DAC_READ_SEARCH and CHECKPOINT_RESTORE; nothing to regain.
  assert_contains "$status" $'CapPrm:\t00000100000c0024'
  assert_contains "$status" $'CapEff:\t00000100000c0024'
  assert_contains "$status" $'CapBnd:\t0000000000000000'
  assert_contains "$status" $'CapAmb:\t0000000000000000'
  assert_contains "$status" $'NoNewPrivs:\t1'
  assert_contains "$status" $'Seccomp:\t2'
  echo secret >"$T/host-file"
  # Told to write, create or remove a file of the host (its seccomp filter: openat reads only,
  # unlinkat only in its state directory), to make a namespace (no CAP_SYS_ADMIN), to open a
  # root-only file for writing by openat2 (no CAP_DAC_OVERRIDE), to mount, to open a network
  # socket, to exec, or to take capabilities back: refused, every one.
  chmod 400 "$T/host-file"
  assert_eq "$(inject "$sup" 257 -100 "s:$T/host-file" 1)" EPERM
  assert_eq "$(inject "$sup" 257 -100 "s:$T/new-file" 0x41)" EPERM
  assert_eq "$(inject "$sup" 263 -100 "s:$T/host-file" 0)" EPERM
  assert_eq "$(inject "$sup" 272 0x20000)" EPERM
  assert_eq "$(inject "$sup" 437 -100 "s:$T/host-file" "$(open_how 1)" 24)" EACCES
  assert_eq "$(inject "$sup" 165 s:none "s:$T" s:tmpfs 0 0)" EPERM
  assert_eq "$(inject "$sup" 41 2 1 0)" EPERM
  assert_eq "$(inject "$sup" 59 s:/bin/sh 0 0)" EPERM
  assert_eq "$(inject "$sup" 126 0 0)" EPERM
  assert_eq "$(cat "$T/host-file")" secret
  [ ! -e "$T/new-file" ] || fail "the supervisor created a file"
  # What it must do, it still does.
  start_ok "$ID"
  wait_status "$ID" stopped
  assert_eq "$(container_output "$ID")" still-supervised
  vigil delete "$ID"
  assert_clean
}

@test "supervisor: the container's files are read by an examiner that holds nothing, and refuses what it must not do" {
  supervise_by_annotation
  cmd 'read x; /bin/echo verified'
  create_ok "$ID"
  local sup ex status
  sup=$(supervisor_of "$ID")
  ex=$(pgrep -P "$sup" -x vigil-examiner) || fail "the supervisor has no examiner"
  status=$(cat "/proc/$ex/status")
  # Nobody, no capability, nothing to regain, confined.
  assert_contains "$status" $'Uid:\t65534\t65534\t65534\t65534'
  assert_contains "$status" $'Gid:\t65534\t65534\t65534\t65534'
  assert_eq "$(awk '/^Groups:/ {print $2}' <<<"$status")" ""
  assert_contains "$status" $'CapPrm:\t0000000000000000'
  assert_contains "$status" $'CapEff:\t0000000000000000'
  assert_contains "$status" $'CapBnd:\t0000000000000000'
  assert_contains "$status" $'NoNewPrivs:\t1'
  assert_contains "$status" $'Seccomp:\t2'
  # Told to open a file, make a socket, trace or signal a process, exec, or become root
  # again: refused by its filter (and, for files, TCP and signals, by Landlock beneath it:
  # landlock_test.cpp tries that domain on its own).
  echo secret >"$T/host-file"
  assert_eq "$(inject "$ex" 257 -100 "s:$T/host-file" 0)" EPERM
  assert_eq "$(inject "$ex" 41 2 1 0)" EPERM
  assert_eq "$(inject "$ex" 101 16966 1 0 0)" EPERM
  assert_eq "$(inject "$ex" 62 1 9)" EPERM
  assert_eq "$(inject "$ex" 59 s:/bin/sh 0 0)" EPERM
  assert_eq "$(inject "$ex" 117 0 0 0)" EPERM
  # And it still examines: the container's programs run verified.
  start_ok "$ID"
  wait_status "$ID" stopped
  assert_eq "$(container_output "$ID")" verified
  vigil delete "$ID"
  assert_clean
}
