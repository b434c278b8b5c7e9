#!/usr/bin/env bats
# CVE-class checks: the init's executable (CVE-2019-5736), leaked fds and the cwd
# (CVE-2024-21626).

load helpers

setup() { vigil_setup; }
teardown() { vigil_teardown; }

@test "security: the init's /proc/PID/exe cannot be reopened for writing once the init is gone (CVE-2019-5736)" {
  # The attack: keep a handle on /proc/PID/exe of the runtime's process, wait until it no
  # longer runs (no ETXTBSY), then reopen the handle for writing and overwrite the host's
  # runtime binary. A sealed memfd copy (EPERM) or a read-only mount of it (EROFS) stops that.
  # A copy of vigil of this test's own: while any process runs a binary, a write open of it
  # fails with ETXTBSY first, and the other tests run theirs alongside.
  cp "$VIGIL" "$T/vigil"
  local VIGIL=$T/vigil
  create_ok "$ID"
  local pid exe
  pid=$(init_pid "$ID")
  exe=$(readlink "/proc/$pid/exe")
  [ "$exe" != "$(readlink -f "$VIGIL")" ] || fail "/proc/$pid/exe is $exe, the host's vigil binary"
  exec 5<"/proc/$pid/exe"
  run --separate-stderr vigil delete --force "$ID"
  assert_status 0
  local before rc=0
  before=$(md5sum <"$VIGIL")
  # Opened for appending and closed at once: nothing is written even if the open succeeds.
  bash -c 'exec 6>>/proc/self/fd/5' 2>"$T/open.err" || rc=$?
  exec 5<&-
  [ "$rc" -ne 0 ] || fail "the handle on /proc/$pid/exe ($exe) reopens for writing"
  [[ "$(cat "$T/open.err")" =~ Read-only\ file\ system|Operation\ not\ permitted ]] ||
    fail "unexpected error: $(cat "$T/open.err")"
  assert_eq "$(md5sum <"$VIGIL")" "$before"
}

@test "security: the created init is not dumpable: a process in its pid namespace cannot reach its exe, fds or environ" {
  create_ok "$ID-a"
  local pid_a
  pid_a=$(init_pid "$ID-a")
  # A second container in the first one's pid namespace, where the created init is pid 1.
  local B=$T/bundle-b
  new_bundle "$B"
  local CFG=$B/config.json
  join_pid_namespace "$pid_a"
  cmd 'tr "\0" " " </proc/1/cmdline; echo
readlink /proc/1/exe >/dev/null 2>&1 && echo exe-link-readable || echo exe-link-denied
cat /proc/1/exe >/dev/null 2>&1 && echo exe-readable || echo exe-denied
readlink /proc/1/fd/0 >/dev/null 2>&1 && echo fd-link-readable || echo fd-link-denied
cat /proc/1/environ >/dev/null 2>&1 && echo environ-readable || echo environ-denied'
  run_fg "$ID-b"
  assert_status 0
  assert_contains "${lines[0]}" "vigil init"
  assert_eq "$(echo ${lines[@]:1})" "exe-link-denied exe-denied fd-link-denied environ-denied"
  # The first container is still waiting to be started.
  assert_eq "$(state_of "$ID-a" status)" created
}

@test "security: a cwd through a leaked host directory fd is refused" {
  mkdir "$T/hostdir"
  cfg set /process/cwd '"/proc/self/fd/9"'
  cmd 'touch escaped; pwd'
  remember_id "$ID"
  local rc=0
  timeout 20 "$VIGIL" --root "$STATE" create --bundle "$BUNDLE" "$ID" 9<"$T/hostdir" \
    >"$T/create.out" 2>"$T/create.err" </dev/null 3>&- || rc=$?
  assert_eq "$rc" 1
  # The leaked fd is closed before anything else happens, so the path leads nowhere.
  assert_contains "$(cat "$T/create.err")" "chdir to cwd /proc/self/fd/9: ENOENT"
  assert_eq "$(ls -A "$T/hostdir")" ""
  assert_clean
}

@test "security: a cwd through a preserved host directory fd is refused" {
  mkdir "$T/hostdir"
  cfg set /process/cwd '"/proc/self/fd/3"'
  cmd 'touch escaped; pwd'
  remember_id "$ID"
  local rc=0
  timeout 20 "$VIGIL" --root "$STATE" run --preserve-fds 1 --bundle "$BUNDLE" "$ID" 3<"$T/hostdir" \
    >"$T/run.out" 2>"$T/run.err" </dev/null || rc=$?
  assert_eq "$rc" 1
  assert_contains "$(cat "$T/run.err")" "cwd /proc/self/fd/3 is outside the container's root"
  assert_eq "$(ls -A "$T/hostdir")" ""
  assert_clean
}

@test "security: a cwd climbing out with .. ends inside the rootfs" {
  cfg set /process/cwd '"/../../../.."'
  cmd 'pwd; ls'
  run_fg "$ID"
  assert_status 0
  assert_eq "${lines[0]}" /
  assert_eq "$(echo ${lines[@]:1})" "bin dev etc proc root sys tmp"
}

@test "security: the created init holds none of the caller's fds but stdio" {
  # runc's init gets stdio (and --preserve-fds) only; anything else the caller had open
  # (a host directory, a pipe) must not sit in the container's init.
  mkdir "$T/hostdir"
  echo data >"$T/leak-file"
  remember_id "$ID"
  local rc=0
  timeout 20 "$VIGIL" --root "$STATE" create --bundle "$BUNDLE" "$ID" 7<"$T/leak-file" 9<"$T/hostdir" \
    >"$T/create.out" 2>"$T/create.err" </dev/null 3>&- || rc=$?
  assert_eq "$rc" 0
  local pid leaked
  pid=$(init_pid "$ID")
  leaked=$(find "/proc/$pid/fd" -mindepth 1 \( -lname "$T/leak-file" -o -lname "$T/hostdir" \) -printf '%f -> %l\n')
  [ -z "$leaked" ] || fail "the created init holds the caller's fds: $leaked"
}
