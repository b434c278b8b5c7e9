#!/usr/bin/env bats
# The paths section (docs/POLICY.md): rules Landlock holds, and Landlock's scopes. With
# scope.abstract_unix_sockets a container cannot connect to an abstract unix socket made
# outside it, with scope.signals it cannot signal a process outside it; both matter when it
# shares the host's network or pid namespace (CVE-2020-15257: a host-network container
# reached containerd-shim's abstract socket). tests/exec/abstract listens or connects;
# tests/exec/files tries one file operation and prints ok or the errno.

load helpers

setup_file() {
  file_rootfs abstract files
  mkdir -p "$FILE_ROOTFS/secret" "$FILE_ROOTFS/tmp"
  echo key >"$FILE_ROOTFS/secret/key"
  ln -s /secret/key "$FILE_ROOTFS/etc/to-secret"
  echo hello >"$FILE_ROOTFS/etc/motd"
  # The kernel's Landlock ABI (vigil features): an older kernel holds less (tests/guest runs
  # this suite on Linux 6.1, ABI 2), and each test says what a policy does there.
  LANDLOCK_ABI=$("$VIGIL" features | jq -r '.annotations["run.vigil.host.landlock_abi"]')
  export LANDLOCK_ABI
}

setup() {
  vigil_setup
  cfg set /root/path "$(json_str "$FILE_ROOTFS")"
  cfg set /root/readonly false
  # The host's network and pid namespaces: what the scopes are for.
  cfg set /linux/namespaces '[{"type": "mount"}, {"type": "ipc"}, {"type": "uts"}]'
  printf '{"version": 1, "paths": {"scope": {"abstract_unix_sockets": true, "signals": true}}}\n' >"$T/scope.json"
}
teardown() { vigil_teardown; }

# scope_refused: what the scope tests check on a kernel without Landlock's scopes (ABI 6,
# Linux 6.12): a container with a scope, by policy or annotation, does not run, and create
# says why.
scope_refused() {
  script_to_end "$ID-old" --policy "$T/scope.json" -- true
  assert_status 1
  assert_contains "$output" "paths.scope needs Landlock ABI 6 (Linux 6.12 or later); this kernel has ABI $LANDLOCK_ABI"
  cfg set /annotations '{"run.vigil.paths.scope.signals": "true"}'
  create "$ID-old-a"
  assert_status 1
  assert_contains "$output" "paths.scope needs Landlock ABI 6"
}

# host_listener: a host process listening on abstract socket @$SOCKET; its pid in $BG_PID.
host_listener() {
  SOCKET=vigil-test-$ID
  bg "$REPO/build/tests/exec/abstract" listen "$SOCKET" >"$T/listener.out"
  wait_for file_has "$T/listener.out" listening
}

@test "paths: scope.abstract_unix_sockets keeps a host-network container off the host's abstract sockets" {
  if [ "$LANDLOCK_ABI" -lt 6 ]; then scope_refused; return; fi
  host_listener
  script_to_end "$ID" -- "abstract connect $SOCKET"
  assert_eq "$output" connected
  script_to_end "$ID-s" --policy "$T/scope.json" -- "abstract connect $SOCKET"
  assert_eq "$output" "refused: EPERM"
  # Its own abstract sockets it still reaches.
  script_to_end "$ID-own" --policy "$T/scope.json" -- "abstract self own-$ID"
  assert_eq "$output" connected
}

@test "paths: scope.signals keeps a host-pid container from signalling host processes" {
  if [ "$LANDLOCK_ABI" -lt 6 ]; then scope_refused; return; fi
  sleep 1000 </dev/null 3>&- &
  local victim=$!
  echo "$victim" >>"$T/bgpids"
  script_to_end "$ID" -- "kill -0 $victim && echo signalled"
  assert_eq "$output" signalled
  script_to_end "$ID-s" --policy "$T/scope.json" -- "kill -0 $victim && echo signalled"
  assert_eq "$output" ""
  assert_contains "$stderr" "Operation not permitted"
  # Its own processes it still signals.
  script_to_end "$ID-own" --policy "$T/scope.json" -- 'sleep 100 & kill $! && wait $!; echo "status $?"'
  assert_eq "$output" "status 143"
}

@test "paths: the scopes hold in processes vigil exec starts, and come from annotations too" {
  if [ "$LANDLOCK_ABI" -lt 6 ]; then scope_refused; return; fi
  host_listener
  cmd 'sleep 60'
  cfg set /annotations '{"run.vigil.paths.scope.abstract_unix_sockets": "true"}'
  leave_running "$ID" run --detach --bundle "$BUNDLE"
  [ "$status" -eq 0 ] || fail "run --detach failed ($status): $output"
  assert_eq "$(vigil exec "$ID" abstract connect "$SOCKET")" "refused: EPERM"
  # An annotation may not loosen what the policy sets.
  cfg set /annotations '{"run.vigil.paths.scope.signals": "false"}'
  leave_running "$ID-l" --policy "$T/scope.json" create --bundle "$BUNDLE"
  [ "$status" -ne 0 ] || fail "an annotation turned scope.signals off"
  assert_contains "$output" "run.vigil.paths.scope.signals"
}

# An allow-list Landlock holds alone: read in /bin, /etc, /dev, /proc and /tmp only (so
# not /secret), write and the changes of entries in /tmp only. On a kernel whose Landlock
# has no truncate right (ABI 3, Linux 6.2), only with the supervisor: $ALLOW is then
# allow.json supervised, and the test shows the unsupervised one refused.
allow_list() {
  cat >"$T/allow.json" <<'JSON'
{"version": 1, "paths": {"default": "deny", "rules": [
  {"path": "/**", "access": ["list", "exec", "ioctl", "chmod", "chown"], "action": "allow"},
  {"path": "/bin/**", "access": ["read"], "action": "allow"},
  {"path": "/etc/**", "access": ["read"], "action": "allow"},
  {"path": "/proc/**", "access": ["read"], "action": "allow"},
  {"path": "/dev/**", "access": ["read", "write"], "action": "allow"},
  {"path": "/tmp/**", "access": ["read", "write", "create", "delete", "rename", "truncate"], "action": "allow"}]}}
JSON
  ALLOW=$T/allow.json
  [ "$LANDLOCK_ABI" -lt 3 ] || return 0
  leave_running "$ID-old" --policy "$T/allow.json" create --bundle "$BUNDLE"
  assert_status 1
  assert_contains "$output" "paths: truncate needs Landlock ABI 3; this kernel has ABI $LANDLOCK_ABI"
  jq '. + {"supervise": true}' "$T/allow.json" >"$T/allow-supervised.json"
  ALLOW=$T/allow-supervised.json
}

@test "paths: Landlock refuses a file outside the allowed trees, by any name and any call" {
  allow_list
  local tag=$ID
  script_to_end "$ID" --policy "$ALLOW" -- "
    files read /etc/motd; files read /secret/key; files read /etc/to-secret
    files read /proc/self/root/secret/key; cd /secret && files read key; cd /
    files at /secret key; files reopen /secret/key
    files write /tmp/$tag; files write /etc/$tag; files write /secret/$tag
    files rename /secret/key /tmp/moved-$tag; files link /secret/key /tmp/linked-$tag
    files uring /secret/key"
  local want
  want=$(printf '%s\n' "ok hello" "refused: EACCES" "refused: EACCES" \
    "refused: EACCES" "refused: EACCES" "refused: EACCES" "refused: EACCES" \
    ok "refused: EACCES" "refused: EACCES" "refused: EACCES" "refused: EXDEV")
  assert_eq "$(head -n 12 <<<"$output")" "$want"
  # io_uring's openat, where the kernel lets this host use io_uring at all.
  local uring
  uring=$("$REPO/build/tests/exec/files" uring "$FILE_ROOTFS/etc/motd")
  if [[ $uring == ok* ]]; then
    # Supervised (an older kernel's), io_uring itself is refused: its opens are no calls the
    # supervisor sees.
    assert_eq "$(sed -n 13p <<<"$output")" "$([ "$ALLOW" = "$T/allow.json" ] && echo "refused: EACCES" || echo "refused: EPERM")"
  else
    echo "# io_uring part skipped: io_uring_setup on this host: $uring" >&3
  fi
  # Nothing moved, nothing written where it was refused.
  assert_eq "$(cat "$FILE_ROOTFS/secret/key")" key
  [ ! -e "$FILE_ROOTFS/etc/$tag" ] && [ ! -e "$FILE_ROOTFS/tmp/moved-$tag" ] || fail "a refused change happened"
  assert_eq "$(cat "$FILE_ROOTFS/tmp/$tag")" written
  rm -f "$FILE_ROOTFS/tmp/$tag"
}

@test "paths: Landlock's rules bind vigil exec's processes, and need no supervisor" {
  allow_list
  cmd 'sleep 60'
  leave_running "$ID" --policy "$ALLOW" run --detach --bundle "$BUNDLE"
  [ "$status" -eq 0 ] || fail "run --detach failed ($status): $output"
  [ "$ALLOW" != "$T/allow.json" ] || assert_eq "$(jq -r '.supervisorPid // 0' "$STATE/$ID/state.json")" 0
  assert_eq "$(vigil exec "$ID" files read /secret/key)" "refused: EACCES"
  assert_eq "$(vigil exec "$ID" files read /etc/motd)" "ok hello"
}

@test "paths: Landlock's rules and the supervisor's exec verification, together" {
  allow_list
  jq '. + {"supervise": true, "exec": {"rules": [{"path": "/bin/abstract", "action": "deny"}]}}' "$ALLOW" >"$T/both.json"
  script_to_end "$ID" --policy "$T/both.json" -- 'abstract self x; cat /secret/key; files read /etc/motd'
  assert_eq "$output" "ok hello"
  assert_contains "$stderr" "Permission denied"
  assert_audit "$ID" "exec.rules[0]" deny /bin/abstract
}

@test "paths: a rule neither Landlock nor the supervisor holds refuses the container at create, naming it" {
  printf '{"version": 1, "paths": {"rules": [{"path": "/etc/shadow", "access": ["read"], "action": "deny"}]}}\n' >"$T/deny.json"
  leave_running "$ID" --policy "$T/deny.json" create --bundle "$BUNDLE"
  [ "$status" -ne 0 ] || fail "create accepted a rule nothing enforces"
  assert_contains "$output" 'paths: read needs the supervisor (paths.rules[0] refuses where paths.default allows: Landlock only grants): the policy must say "supervise": true'
  printf '{"version": 1, "supervise": true, "paths": {"rules": [{"path": "/dev/**", "access": ["ioctl"], "action": "deny"}]}}\n' >"$T/ioctl.json"
  leave_running "$ID-d" --policy "$T/ioctl.json" create --bundle "$BUNDLE"
  [ "$status" -ne 0 ] || fail "create accepted a rule nothing enforces"
  assert_contains "$output" "paths: ioctl needs the supervisor's path checks (paths.rules[0] refuses where paths.default allows: Landlock only grants), which cannot hold it"
  assert_clean
}

@test "paths: paths.default=deny by annotation leaves the program nothing, not even its own binary" {
  # chmod and chown have no Landlock right: the host's policy allows them everywhere.
  printf '{"version": 1, "paths": {"rules": [{"path": "/**", "access": ["chmod", "chown"], "action": "allow"}]}}\n' >"$T/host.json"
  cfg set /annotations '{"run.vigil.paths.default": "deny"}'
  script_to_end "$ID" --policy "$T/host.json" -- 'echo ran'
  if [ "$LANDLOCK_ABI" -lt 3 ]; then
    # Nothing at all on a kernel whose Landlock cannot refuse truncate: the container does not run.
    assert_status 1
    assert_contains "$output" "paths: truncate needs Landlock ABI 3; this kernel has ABI $LANDLOCK_ABI"
    return
  fi
  assert_eq "$output" ""
  assert_contains "$stderr" "exec /bin/sh"
  assert_contains "$stderr" "EACCES"
}

# xattr_of FILE: its user.vigil attribute, or "none".
xattr_of() {
  python3 -c 'import os, sys; print(os.getxattr(sys.argv[1], "user.vigil").decode())' "$1" 2>/dev/null || echo none
}

# What Landlock cannot hold, the supervisor judges: /secret/key denied for reading, inside
# a tree (/) where everything else may be read.
deny_secret() {
  printf '{"version": 1, "supervise": true, "paths": {"rules": [{"path": "/secret/key", "access": ["read"], "action": "deny"}]}}\n' >"$T/deny.json"
}

@test "paths: a file denied inside an allowed tree stays denied by every name and every call" {
  deny_secret
  local tag=$ID
  # Made before the container starts: a hard link, and a bind mount of the file elsewhere.
  ln "$FILE_ROOTFS/secret/key" "$FILE_ROOTFS/etc/hardlink-$tag"
  cfg append /mounts "{\"destination\": \"/etc/bound\", \"type\": \"bind\", \"source\": \"$FILE_ROOTFS/secret/key\", \"options\": [\"bind\"]}"
  script_to_end "$ID" --policy "$T/deny.json" -- "
    files read /etc/motd; files read /secret/key; files read /etc/to-secret
    files read /proc/self/root/secret/key; cd /secret && files read key; cd /
    files at /secret key; files reopen /secret/key; files read /etc/hardlink-$tag; files read /etc/bound
    files openat2 /secret/key in_root; files openat2 /secret/key no_magiclinks; files openat2 /etc/to-secret no_symlinks
    mv /secret/key /tmp/moved-$tag && files read /tmp/moved-$tag; mv /tmp/moved-$tag /secret/key
    files handle /secret/key; files uring /secret/key"
  rm -f "$FILE_ROOTFS/etc/hardlink-$tag"
  local want
  want=$(printf '%s\n' "ok hello" "refused: EACCES" "refused: EACCES" "refused: EACCES" "refused: EACCES" \
    "refused: EACCES" "refused: EACCES" "refused: EACCES" "refused: EACCES" \
    "refused: EACCES" "refused: EACCES" "refused: ELOOP" "refused: EACCES" "refused: EPERM" "refused: EPERM")
  assert_eq "$output" "$want"
  assert_eq "$(cat "$FILE_ROOTFS/secret/key")" key
  # Each refusal is audited with the path as the container sees it and the rule.
  assert_audit "$ID" "paths.rules[0]" deny /secret/key
  assert_audit "$ID" "paths.rules[0]" deny /etc/bound
  assert_contains "$(cat "$(audit_log "$ID")")" '"detail":"read, of the file paths.rules[0] names"'
}

@test "paths: a symlink flipped between an allowed and a denied file while it is opened 2000 times" {
  deny_secret
  script_to_end "$ID" --policy "$T/deny.json" -- "files race /tmp/link-$ID /etc/motd /secret/key 2000"
  # Never the denied file's content: each open judged what it opened.
  [[ $output =~ ^a=([0-9]+)\ b=0\ refused=([0-9]+)\ other=0$ ]] || fail "the denied file was read: $output"
  [ "${BASH_REMATCH[1]}" -gt 0 ] && [ "${BASH_REMATCH[2]}" -gt 0 ] || fail "the race never went both ways: $output"
}

@test "paths: opens that block (FIFOs) never stall the supervisor, and a signal interrupts one" {
  deny_secret
  cmd 'sleep 60'
  leave_running "$ID" --policy "$T/deny.json" run --detach --bundle "$BUNDLE"
  [ "$status" -eq 0 ] || fail "run --detach failed ($status): $output"
  local sup
  sup=$(jq -r '.supervisorPid' "$STATE/$ID/state.json")
  local threads
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$sup/status")
  # 100 readers of FIFOs nobody writes to, each waiting in an open the supervisor makes.
  vigil exec --detach "$ID" sh -c 'for i in $(seq 100); do mkfifo /tmp/f$i; files read /tmp/f$i & done; wait'
  wait_for sh -c "[ \$(awk '/^Threads:/ {print \$2}' /proc/$sup/status) -ge $((threads + 100)) ]"
  # Meanwhile another process's opens and execs are answered.
  local t0 t1
  t0=${EPOCHREALTIME/./}
  assert_eq "$(vigil exec "$ID" sh -c 'files read /etc/motd; files read /secret/key')" $'ok hello\nrefused: EACCES'
  t1=${EPOCHREALTIME/./}
  echo "# an exec with two opens, 100 opens waiting: $(((t1 - t0) / 1000)) ms" >&3
  # A signal without SA_RESTART interrupts an open that waits, as without supervision.
  assert_eq "$(vigil exec "$ID" sh -c 'mkfifo /tmp/lonely; files eintr /tmp/lonely')" "refused: EINTR"
  # Killed, the waiting openers free the supervisor's threads.
  pkill -KILL -f "^files read /tmp/f[0-9]"
  wait_for sh -c "[ \$(awk '/^Threads:/ {print \$2}' /proc/$sup/status) -le $((threads + 1)) ]"
}

@test "paths: vigil policy explain says what enforces each access here, and what create refuses" {
  cat >"$T/explain.json" <<'JSON'
{"version": 1, "supervise": true, "paths": {"default": "deny", "rules": [
  {"path": "/**", "access": ["read", "list", "exec", "ioctl", "chmod", "chown"], "action": "allow"},
  {"path": "/etc/shadow", "access": ["read"], "action": "deny"},
  {"path": "/tmp/**", "access": ["write", "create", "rename", "truncate"], "action": "allow"}]}}
JSON
  run vigil policy explain "$T/explain.json"
  assert_status 0
  assert_contains "$output" "paths read: supervisor (a notification per call asking for it); paths.rules[1] refuses where paths.rules[0] (/**) allows: Landlock only grants"
  assert_contains "$output" "paths write: landlock (free), allowed in /tmp/**, refused elsewhere"
  assert_contains "$output" "paths exec: not enforced, allowed everywhere (free)"
  # Create and delete are not allowed together anywhere: rename stays Landlock's.
  assert_contains "$output" "paths rename: landlock (free), allowed in /tmp/**, refused elsewhere"
  # Where the kernel's Landlock has no truncate right, the supervisor holds it.
  if [ "$LANDLOCK_ABI" -lt 3 ]; then
    assert_contains "$output" "paths truncate: supervisor (a notification per call asking for it); Landlock holds it from ABI 3; this kernel has ABI $LANDLOCK_ABI"
  else
    assert_contains "$output" "paths truncate: landlock (free), allowed in /tmp/**, refused elsewhere"
  fi
  # And of a container, by its id.
  cmd 'true'
  leave_running "$ID" --policy "$T/explain.json" create --bundle "$BUNDLE"
  [ "$status" -eq 0 ] || fail "create failed ($status): $output"
  run vigil policy explain "$ID"
  assert_status 0
  assert_contains "$output" "paths delete: landlock (free), allowed in nothing, refused elsewhere"
}

@test "paths: /proc/self is the process's own in a host-pid container too, never the supervisor's" {
  deny_secret
  cfg set /linux/namespaces '[{"type": "mount"}, {"type": "ipc"}, {"type": "uts"}, {"type": "network"}]'
  script_to_end "$ID" --policy "$T/deny.json" -- 'files read /proc/self/comm; files read /proc/self/root/secret/key; files reopen /proc/self/root/secret/key'
  assert_eq "$output" $'ok files\nrefused: EACCES\nrefused: EACCES'
}

@test "paths: rules Landlock holds cost the supervisor nothing: no notification at all (counted)" {
  allow_list
  jq '. + {"supervise": true, "exec": {"allow_memfd": true}}' "$T/allow.json" >"$T/counted.json"
  script_to_end "$ID" --debug --log "$T/debug.log" --policy "$T/counted.json" -- 'cat /etc/motd /bin/abstract >/dev/null; files read /secret/key; ls / >/dev/null'
  assert_eq "$output" "refused: EACCES"
  wait_for file_has "$T/debug.log" "notifications"
  # Where Landlock has no truncate right, the supervisor judges truncate: the two opens of
  # >/dev/null, which truncate, are its.
  assert_contains "$(cat "$T/debug.log")" "the container is over, exiting; $([ "$LANDLOCK_ABI" -ge 3 ] && echo 0 || echo 2) notifications"
}

@test "paths: a file kept from deletion stays, by any name, and through a flipped directory symlink" {
  local tag=$ID
  mkdir -p "$FILE_ROOTFS/keep-$tag" "$FILE_ROOTFS/tmp/free-$tag"
  echo kept >"$FILE_ROOTFS/keep-$tag/keep"
  printf '{"version": 1, "supervise": true, "paths": {"rules": [{"path": "/keep-%s/keep", "access": ["delete"], "action": "deny"}]}}\n' "$tag" >"$T/keep.json"
  script_to_end "$ID" --policy "$T/keep.json" -- "
    rm /keep-$tag/keep 2>&1; rm /proc/self/root/keep-$tag/keep 2>&1; cd /keep-$tag && rm keep 2>&1; cd /
    ln /keep-$tag/keep /tmp/hard-$tag && rm /tmp/hard-$tag 2>&1
    touch /tmp/free-$tag/x && rm /tmp/free-$tag/x && rmdir /tmp/free-$tag && echo free-removed
    mkdir /tmp/other-$tag && files unrace /tmp/dir-$tag /tmp/other-$tag /keep-$tag keep 2000; cat /keep-$tag/keep"
  local out=$output
  rm -rf "$FILE_ROOTFS/keep-$tag" "$FILE_ROOTFS/tmp/hard-$tag" "$FILE_ROOTFS/tmp/dir-$tag"* "$FILE_ROOTFS/tmp/other-$tag"
  assert_contains "$out" "rm: can't remove '/keep-$tag/keep': Permission denied"
  assert_contains "$out" "rm: can't remove '/proc/self/root/keep-$tag/keep': Permission denied"
  assert_contains "$out" "rm: can't remove 'keep': Permission denied"
  assert_contains "$out" "rm: can't remove '/tmp/hard-$tag': Permission denied"
  assert_contains "$out" free-removed
  [[ $out =~ removed=([0-9]+)\ refused=([0-9]+)\ other=0 ]] || fail "no race figures: $out"
  [ "${BASH_REMATCH[1]}" -gt 0 ] && [ "${BASH_REMATCH[2]}" -gt 0 ] || fail "the race never went both ways: $out"
  # Never the kept file: each unlink removed the name in the directory it judged.
  assert_eq "$(tail -n 1 <<<"$out")" kept
  assert_audit "$ID" "paths.rules[0]" deny "/keep-$tag/keep"
}

@test "paths: creates a rule refuses fail by every call, and elsewhere are made as the process would make them" {
  local tag=$ID d
  for d in no yes; do mkdir -p "$FILE_ROOTFS/$d-$tag" && chmod 1777 "$FILE_ROOTFS/$d-$tag"; done
  echo own >"$FILE_ROOTFS/tmp/own-$tag"
  chown 1000:1000 "$FILE_ROOTFS/tmp/own-$tag"
  printf '{"version": 1, "supervise": true, "paths": {"rules": [{"path": "/no-%s/**", "access": ["create"], "action": "deny"}]}}\n' "$tag" >"$T/create.json"
  cfg set /process/user '{"uid": 1000, "gid": 1000}'
  script_to_end "$ID" --policy "$T/create.json" -- "
    for d in no yes; do
      cd /\$d-$tag
      mkdir dir 2>/dev/null && echo made || echo refused; mkfifo fifo 2>/dev/null && echo made || echo refused
      ln -s /etc/motd sym 2>/dev/null && echo made || echo refused; ln /tmp/own-$tag hard 2>/dev/null && echo made || echo refused
      touch file 2>/dev/null && echo made || echo refused; files tmpfile .; files write /\$d-$tag/w
    done"
  local listing
  listing=$(cd "$FILE_ROOTFS/yes-$tag" && stat -c '%n %u:%g %a %F' dir fifo sym hard file w)
  local left
  left=$(ls -A "$FILE_ROOTFS/no-$tag")
  rm -rf "$FILE_ROOTFS/no-$tag" "$FILE_ROOTFS/yes-$tag" "$FILE_ROOTFS/tmp/own-$tag"
  assert_eq "$output" "$(printf 'refused\n%.0s' 1 2 3 4 5)
refused: EACCES
refused: EACCES
$(printf 'made\n%.0s' 1 2 3 4 5)
ok
ok"
  assert_eq "$left" ""
  # The process's uid, gid and umask (022), as if no supervisor had made them.
  assert_eq "$listing" "dir 1000:1000 755 directory
fifo 1000:1000 644 fifo
sym 1000:1000 777 symbolic link
hard 1000:1000 644 regular file
file 1000:1000 644 regular empty file
w 1000:1000 644 regular file"
  assert_audit "$ID" "paths.rules[0]" deny "/no-$tag/dir"
  assert_audit "$ID" "paths.rules[0]" deny "/no-$tag/hard"
}

@test "paths: a file kept from renames stays, at either end, by any name, through a flipped directory symlink" {
  local tag=$ID
  mkdir -p "$FILE_ROOTFS/keep-$tag"
  echo kept >"$FILE_ROOTFS/keep-$tag/keep"
  echo spare >"$FILE_ROOTFS/tmp/spare-$tag"
  printf '{"version": 1, "supervise": true, "paths": {"rules": [{"path": "/keep-%s/keep", "access": ["rename"], "action": "deny"}]}}\n' "$tag" >"$T/keep.json"
  script_to_end "$ID" --policy "$T/keep.json" -- "
    files rename /keep-$tag/keep /tmp/x; files rename /tmp/spare-$tag /keep-$tag/keep
    files rename /proc/self/root/keep-$tag/keep /tmp/y; cd /keep-$tag && files rename keep k2; cd /
    ln /keep-$tag/keep /tmp/hard-$tag && files rename /tmp/hard-$tag /tmp/z
    files rename /tmp/spare-$tag /tmp/spare2-$tag
    mkdir /tmp/other-$tag && files rerace /tmp/dir-$tag /tmp/other-$tag /keep-$tag keep 2000; cat /keep-$tag/keep"
  local out=$output
  local spare2
  spare2=$(cat "$FILE_ROOTFS/tmp/spare2-$tag" 2>&1)
  rm -rf "$FILE_ROOTFS/keep-$tag" "$FILE_ROOTFS/tmp/"*"-$tag"* "$FILE_ROOTFS/tmp/dir-$tag"*
  assert_eq "$(head -n 6 <<<"$out")" "$(printf 'refused: EACCES\n%.0s' 1 2 3 4 5)
ok"
  assert_eq "$spare2" spare
  [[ $out =~ removed=([0-9]+)\ refused=([0-9]+)\ other=0 ]] || fail "no race figures: $out"
  [ "${BASH_REMATCH[1]}" -gt 0 ] && [ "${BASH_REMATCH[2]}" -gt 0 ] || fail "the race never went both ways: $out"
  # Never the kept file: each rename moved the name in the directory it judged.
  assert_eq "$(tail -n 1 <<<"$out")" kept
  assert_audit "$ID" "paths.rules[0]" deny "/keep-$tag/keep"
  assert_contains "$(cat "$(audit_log "$ID")")" '"detail":"rename, of the file paths.rules[0] names"'
}

@test "paths: truncate, chmod and chown of a kept file are refused by path and by fd, and done elsewhere" {
  local tag=$ID
  mkdir -p "$FILE_ROOTFS/keep-$tag"
  echo kept >"$FILE_ROOTFS/keep-$tag/keep"
  echo free >"$FILE_ROOTFS/tmp/free-$tag"
  chmod 644 "$FILE_ROOTFS/keep-$tag/keep" "$FILE_ROOTFS/tmp/free-$tag"
  printf '{"version": 1, "supervise": true, "paths": {"rules": [{"path": "/keep-%s/**", "access": ["truncate", "chmod", "chown"], "action": "deny"}]}}\n' "$tag" >"$T/keep.json"
  cfg set /process/capabilities '{"bounding": ["CAP_CHOWN"], "effective": ["CAP_CHOWN"], "permitted": ["CAP_CHOWN"]}'
  script_to_end "$ID" --policy "$T/keep.json" -- "
    for f in /keep-$tag/keep /tmp/free-$tag; do
      files truncate \$f; files ftruncate \$f; (: >\$f) 2>/dev/null && echo ok || echo refused
      chmod 600 \$f 2>/dev/null && echo ok || echo refused; files fchmod \$f 640
      files fchown \$f 2 2; chown 1:1 \$f 2>/dev/null && echo ok || echo refused
    done"
  local keep free
  keep=$(stat -c '%s %a %u:%g' "$FILE_ROOTFS/keep-$tag/keep")
  free=$(stat -c '%s %a %u:%g' "$FILE_ROOTFS/tmp/free-$tag")
  rm -rf "$FILE_ROOTFS/keep-$tag" "$FILE_ROOTFS/tmp/free-$tag"
  assert_eq "$output" "refused: EACCES
refused: EACCES
refused
refused
refused: EACCES
refused: EACCES
refused
$(printf 'ok\n%.0s' 1 2 3 4 5 6 7)"
  assert_eq "$keep" "5 644 0:0"
  assert_eq "$free" "0 640 1:1"
  assert_audit "$ID" "paths.rules[0]" deny "/keep-$tag/keep"
}

@test "paths: exec of a program a rule refuses, where Landlock cannot hold it, is the supervisor's" {
  printf '{"version": 1, "supervise": true, "paths": {"rules": [{"path": "/tmp/**", "access": ["exec"], "action": "deny"}]}}\n' >"$T/exec.json"
  script_to_end "$ID" --policy "$T/exec.json" -- "cp /bin/files /tmp/files-$ID; /tmp/files-$ID read /etc/motd 2>&1; files read /etc/motd"
  rm -f "$FILE_ROOTFS/tmp/files-$ID"
  assert_contains "$output" "Permission denied"
  assert_eq "$(tail -n 1 <<<"$output")" "ok hello"
  assert_audit "$ID" "paths.rules[0]" deny "/tmp/files-$ID"
}

@test "paths: extended attributes are chmod's and times are write's, by path and by fd; calls too new to judge are ENOSYS" {
  local tag=$ID
  mkdir -p "$FILE_ROOTFS/keep-$tag"
  echo kept >"$FILE_ROOTFS/keep-$tag/keep"
  echo free >"$FILE_ROOTFS/tmp/free-$tag"
  touch -d 2001-01-01 "$FILE_ROOTFS/keep-$tag/keep" "$FILE_ROOTFS/tmp/free-$tag"
  printf '{"version": 1, "supervise": true, "paths": {"rules": [{"path": "/keep-%s/**", "access": ["chmod", "write"], "action": "deny"}]}}\n' "$tag" >"$T/keep.json"
  script_to_end "$ID" --policy "$T/keep.json" -- "
    for f in /keep-$tag/keep /tmp/free-$tag; do
      files xattr \$f; files fxattr \$f; files touch \$f; touch -d 2002-02-02 \$f 2>/dev/null && echo ok || echo refused
    done
    files xattrat /tmp/free-$tag"
  local keep free keep_x free_x
  keep=$(stat -c %Y "$FILE_ROOTFS/keep-$tag/keep")
  free=$(date -u -d @"$(stat -c %Y "$FILE_ROOTFS/tmp/free-$tag")" +%F)
  keep_x=$(xattr_of "$FILE_ROOTFS/keep-$tag/keep")
  free_x=$(xattr_of "$FILE_ROOTFS/tmp/free-$tag")
  rm -rf "$FILE_ROOTFS/keep-$tag" "$FILE_ROOTFS/tmp/free-$tag"
  assert_eq "$output" "refused: EACCES
refused: EACCES
refused: EACCES
refused
ok
ok
ok
ok
refused: ENOSYS"
  assert_eq "$keep" "$(date -d 2001-01-01 +%s)"
  assert_eq "$free" 2002-02-02
  assert_eq "$keep_x" none
  assert_eq "$free_x" set
  assert_audit "$ID" "paths.rules[0]" deny "/keep-$tag/keep"
}

@test "paths: vigil policy explain ID names what refused each refusal, and the change that lets it through does" {
  cat >"$T/strict.json" <<'JSON'
{"version": 1, "supervise": true, "exec": {"rules": [{"path": "/tmp/**", "action": "deny"}]},
 "paths": {"rules": [{"path": "/secret/**", "access": ["read"], "action": "deny"}]}}
JSON
  local script="cp /bin/files /tmp/files-$ID; /tmp/files-$ID read /etc/motd 2>/dev/null || echo refused; files read /secret/key"
  script_to_end "$ID" --policy "$T/strict.json" -- "$script"
  assert_eq "$output" $'refused\nrefused: EACCES'
  run vigil policy explain "$ID"
  assert_status 0
  assert_contains "$output" "exec.rules[0] /tmp/**: deny"
  assert_contains "$output" "execve \"/tmp/files-$ID\": deny by exec.rules[0]; to allow it: add {\"path\": \"/tmp/files-$ID\", \"action\": \"allow\"} to exec.rules, after exec.rules[0]"
  assert_contains "$output" "openat \"/secret/key\": deny by paths.rules[0]; to allow it: add {\"path\": \"/secret/key\", \"access\": [\"read\"], \"action\": \"allow\"} to paths.rules, after paths.rules[0]"
  # Made as said, the same run is refused nothing.
  jq --arg p "/tmp/files-$ID" '.exec.rules += [{"path": $p, "action": "allow"}] | .paths.rules += [{"path": "/secret/key", "access": ["read"], "action": "allow"}]' \
    "$T/strict.json" >"$T/fixed.json"
  script_to_end "$ID-2" --policy "$T/fixed.json" -- "$script"
  rm -f "$FILE_ROOTFS/tmp/files-$ID"
  assert_eq "$output" $'ok hello\nok key'
  run vigil policy explain "$ID-2"
  assert_contains "$output" "refusals: none in its audit log"
}

@test "paths: in a user-namespaced container, its capabilities hold over the files its namespace maps, as without the supervisor" {
  require_userns
  local tag=$ID d=$FILE_ROOTFS/ns-$ID
  mkdir -p "$d/private"
  echo mine >"$d/private/file"
  echo host >"$d/host-file"
  own() {  # the private tree: container uid 1000's, closed to others; host-file: an unmapped uid's
    chown -R 101000:101000 "$d/private" && chmod 700 "$d/private" && chmod 600 "$d/private/file"
    chown 5:5 "$d/host-file" && chmod 600 "$d/host-file"
  }
  own
  # The container's root (host uid 100000) reaches its rootfs through bats' 0700 directories.
  chmod o+x "$BATS_RUN_TMPDIR" "$BATS_RUN_TMPDIR/file" "$BATS_FILE_TMPDIR"
  cfg set /linux/namespaces '[{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}, {"type": "user"}]'
  cfg set /linux/uidMappings '[{"containerID": 0, "hostID": 100000, "size": 65536}]'
  cfg set /linux/gidMappings '[{"containerID": 0, "hostID": 100000, "size": 65536}]'
  local caps='["CAP_DAC_OVERRIDE", "CAP_CHOWN", "CAP_FOWNER"]'
  cfg set /process/capabilities "{\"bounding\": $caps, \"effective\": $caps, \"permitted\": $caps}"
  printf '{"version": 1, "supervise": true, "paths": {"rules": [{"path": "/secret/**", "access": ["read", "chown"], "action": "deny"}]}}\n' >"$T/ns.json"
  local script="files read /ns-$tag/private/file; files read /ns-$tag/host-file; chown 2000:2000 /ns-$tag/private/file && echo chowned; stat -c %u:%g /ns-$tag/private/file"
  script_to_end "$ID" -- "$script"
  local plain=$output owner_plain
  owner_plain=$(stat -c %u:%g "$d/private/file")
  own
  script_to_end "$ID-s" --policy "$T/ns.json" -- "$script"
  local owner
  owner=$(stat -c %u:%g "$d/private/file")
  rm -rf "$d"
  assert_eq "$plain" $'ok mine\nrefused: EACCES\nchowned\n2000:2000'
  assert_eq "$output" "$plain"
  assert_eq "$owner_plain" 102000:102000
  assert_eq "$owner" 102000:102000
}
