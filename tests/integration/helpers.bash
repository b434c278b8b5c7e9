# Shared helpers of vigil's bats integration tests.
#
# Every test gets, from vigil_setup:
#   T       its private temp dir ($BATS_TEST_TMPDIR)
#   STATE   its own state root ($T/state), passed as --root to every vigil call
#   BUNDLE  its own bundle dir ($T/bundle) with a config.json from `vigil spec` whose
#           root.path is the absolute path of the shared, read-only demo rootfs
#   ID      a container id unique to this test (suffix it for more containers)
#   TOKEN   a string put into process.env of the config, to find the test's processes
# and vigil_teardown force-deletes what the test created, kills what is left, and then
# fails the test if anything was left (processes, mounts, state).
#
# Containers never get the test's pipes: their stdio goes to files ($(out_file ID),
# $(err_file ID)) and bats' fd 3 is closed for them, so a container that outlives its
# command cannot hang the suite; every vigil call is bounded by `timeout` ($VIGIL_TIMEOUT s,
# exit status 124 when it fires). (bats' own BATS_TEST_TIMEOUT is left unset: on this host
# its watchdog leaves a zombie per test, as PID 1 does not reap orphans.)

bats_require_minimum_version 1.5.0

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
# VIGIL_BINARY selects another vigil (an installed one, another build) than the tree's.
VIGIL=${VIGIL_BINARY:-$REPO/build/vigil}
JSONEDIT=$REPO/build/tests/jsonedit
ROOTFS=$REPO/build/demo/rootfs
VIGIL_TIMEOUT=${VIGIL_TIMEOUT:-20}
# VIGIL_CGROUP_DRIVER=systemd: every vigil call gets --systemd-cgroup (the guest, tests/guest,
# runs cgroups.bats so as well as with the default cgroupfs driver).
DRIVER_FLAGS=()
[ "${VIGIL_CGROUP_DRIVER:-cgroupfs}" != systemd ] || DRIVER_FLAGS=(--systemd-cgroup)

vigil_setup() {
  [ -x "$VIGIL" ] || fail "$VIGIL is missing: make build/vigil"
  [ -x "$JSONEDIT" ] || fail "$JSONEDIT is missing: make build/tests/jsonedit"
  [ -x "$ROOTFS/bin/busybox" ] || fail "$ROOTFS is missing: make build/demo/rootfs/bin/busybox"
  T=$BATS_TEST_TMPDIR
  STATE=$T/state
  BUNDLE=$T/bundle
  ID=v${BATS_SUITE_TEST_NUMBER}-$$
  TOKEN=vigil-bats-${BATS_ROOT_PID:-$PPID}-${BATS_SUITE_TEST_NUMBER}-$RANDOM
  : >"$T/ids"
  : >"$T/bgpids"
  : >"$T.host-mounts"
  rootfs_snapshot >"$T.rootfs-before"
  new_bundle "$BUNDLE"
}

# The shared demo rootfs, as names, types, link targets, sizes and modes: tests must not change it.
rootfs_snapshot() {
  find "$ROOTFS" -printf '%P %y %l %s %m\n' | sort
}

# new_bundle DIR: DIR/config.json from `vigil spec`, rooted at the shared demo rootfs,
# running `true`, with the test's token in its environment.
new_bundle() {
  mkdir -p "$1"
  # `vigil spec` once per file; each bundle gets a copy with this test's token.
  local base=$BATS_FILE_TMPDIR/base-config.json
  if [ ! -f "$base" ]; then
    mkdir -p "$BATS_FILE_TMPDIR/base"
    "$VIGIL" spec --bundle "$BATS_FILE_TMPDIR/base" || fail "vigil spec failed"
    "$JSONEDIT" "$BATS_FILE_TMPDIR/base/config.json" set /root/path "$(json_str "$ROOTFS")"
    "$JSONEDIT" "$BATS_FILE_TMPDIR/base/config.json" set /process/args '["true"]'
    "$JSONEDIT" "$BATS_FILE_TMPDIR/base/config.json" set /process/terminal false
    mv "$BATS_FILE_TMPDIR/base/config.json" "$base"
  fi
  cp "$base" "$1/config.json"
  "$JSONEDIT" "$1/config.json" append /process/env "$(json_str "VIGIL_TEST_TOKEN=$TOKEN")"
}

# private_rootfs: gives $BUNDLE a rootfs copy of its own ($BUNDLE/rootfs, ~2 MB) for tests
# that change the image or need a writable root.
private_rootfs() {
  cp -a "$ROOTFS" "$BUNDLE/rootfs"
  cfg set /root/path '"rootfs"'
}

# file_rootfs PROG...: for setup_file, a rootfs copy the whole file shares ($FILE_ROOTFS, in
# $BATS_FILE_TMPDIR, which bats removes), with build/tests/exec/PROG in its /bin.
file_rootfs() {
  export FILE_ROOTFS=$BATS_FILE_TMPDIR/rootfs
  cp -a "$ROOTFS" "$FILE_ROOTFS"
  local prog
  for prog in "$@"; do
    [ -f "$REPO/build/tests/exec/$prog" ] || fail "build/tests/exec/$prog is missing: make integration builds it" || return 1
    cp "$REPO/build/tests/exec/$prog" "$FILE_ROOTFS/bin/"
  done
}

# ---- JSON and config ----------------------------------------------------------------

# json_str STRING: STRING as a JSON string literal.
json_str() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

# json_array ARGS...: the arguments as a JSON array of strings.
json_array() {
  local out="" a
  for a in "$@"; do out+="${out:+,}$(json_str "$a")"; done
  printf '[%s]' "$out"
}

# cfg OP POINTER [JSON]: jsonedit on $BUNDLE/config.json (or $CFG if set).
cfg() {
  "$JSONEDIT" "${CFG:-$BUNDLE/config.json}" "$@" || fail "jsonedit $* failed"
}

# join_pid_namespace PID: the config ($CFG, else the bundle's) joins the pid namespace of PID.
join_pid_namespace() {
  local i=0 t
  while t=$(cfg get /linux/namespaces/$i/type 2>/dev/null); do
    [ "$t" = pid ] && break
    i=$((i + 1))
  done
  cfg set "/linux/namespaces/$i/path" "$(json_str "/proc/$1/ns/pid")"
}

# cmd SCRIPT: the container runs `sh -c SCRIPT`.
cmd() {
  cfg set /process/args "$(json_array sh -c "$1")"
}

# json_get POINTER: reads JSON from stdin, prints the value (strings without quotes).
json_get() {
  "$JSONEDIT" /dev/stdin get "$1"
}

# ---- running vigil -------------------------------------------------------------------

# vigil ARGS...: vigil with the test's state root, for commands that leave no process
# behind (state, start, kill, delete, list, spec, failing creates...).
vigil() {
  timeout -k 2 "$VIGIL_TIMEOUT" "$VIGIL" --root "$STATE" "${DRIVER_FLAGS[@]}" "$@" </dev/null 3>&-
}

io_name() { printf '%s' "$1" | md5sum | cut -c1-16; }
out_file() { echo "$T/io-$(io_name "$1").out"; }
err_file() { echo "$T/io-$(io_name "$1").err"; }

remember_id() { printf '%s\n' "$1" >>"$T/ids"; }

# leave_running ID VERB... [FLAGS...]: vigil VERB --bundle $BUNDLE FLAGS ID for a container
# that outlives the command, its stdio going to $(out_file ID) / $(err_file ID). Sets status,
# and output to what vigil printed.
leave_running() {
  local id=$1
  shift
  remember_id "$id"
  local out err
  out=$(out_file "$id") err=$(err_file "$id")
  status=0
  timeout -k 2 "$VIGIL_TIMEOUT" "$VIGIL" --root "$STATE" "${DRIVER_FLAGS[@]}" "$@" "$id" >"$out" 2>"$err" </dev/null 3>&- || status=$?
  output=$(cat "$err" "$out")
}

# create ID [FLAGS...]: vigil create --bundle $BUNDLE FLAGS ID.
create() { leave_running "$1" create --bundle "${B:-$BUNDLE}" "${@:2}"; }

# run_detached ID [FLAGS...]: vigil run --detach, like create.
run_detached() { leave_running "$1" run --detach --bundle "${B:-$BUNDLE}" "${@:2}"; }

# run_fg ID [FLAGS...]: foreground vigil run --bundle $BUNDLE FLAGS ID. Sets status (vigil's
# exit code), output (what the container printed on stdout) and stderr (the container's
# stderr and vigil's errors), as bats' `run --separate-stderr` would, and lines.
run_fg() {
  leave_running "$1" run --bundle "${B:-$BUNDLE}" "${@:2}"
  output=$(cat "$(out_file "$1")")
  stderr=$(cat "$(err_file "$1")")
  mapfile -t lines <"$(out_file "$1")"
}

# create_ok ID [FLAGS...] / start_ok ID / run_detached_ok ID: the step, asserted to succeed.
create_ok() {
  create "$@"
  [ "$status" -eq 0 ] || fail "create $1 failed ($status): $output"
}
run_detached_ok() {
  run_detached "$@"
  [ "$status" -eq 0 ] || fail "run --detach $1 failed ($status): $output"
}
start_ok() {
  local out
  out=$(vigil start "$1" 2>&1) || fail "start $1 failed: $out"
}

# script_to_end ID [GLOBAL FLAGS...] -- SCRIPT: creates a container running sh -c SCRIPT,
# starts it and waits for it to stop; sets output and stderr to what it printed, status to
# create's (then nothing else is done). The container and its audit log stay for the test.
script_to_end() {
  local id=$1 flags=()
  shift
  while [ "$1" != -- ]; do flags+=("$1"); shift; done
  cmd "$2"
  leave_running "$id" "${flags[@]}" create --bundle "$BUNDLE"
  [ "$status" -eq 0 ] || return 0
  start_ok "$id"
  WAIT_FOR_S=30 wait_status "$id" stopped
  output=$(container_output "$id")
  stderr=$(container_stderr "$id")
}

# container_output ID / container_stderr ID: what a created or detached container printed.
container_output() { cat "$(out_file "$1")"; }
container_stderr() { cat "$(err_file "$1")"; }

# state_of ID FIELD: one field of `vigil state ID`.
state_of() {
  local json
  json=$(vigil state "$1") || return 1
  json_get "/$2" <<<"$json"
}

# init_pid ID: the container's init pid, from `vigil state`.
init_pid() { state_of "$1" pid; }

# status_is ID STATUS: succeeds when `vigil state ID` says STATUS.
status_is() { [ "$(state_of "$1" status 2>/dev/null)" = "$2" ]; }

# wait_for CMD...: retries CMD for up to $WAIT_FOR_S (default 5) s; fails the test if it
# never succeeds.
wait_for() {
  local i limit=${WAIT_FOR_S:-5}
  for ((i = 0; i < limit * 20; i++)); do
    "$@" && return 0
    sleep 0.05
  done
  fail "timed out after $limit s waiting for: $*"
}

# wait_status ID STATUS
wait_status() {
  wait_for status_is "$1" "$2"
}

# file_has FILE STRING: FILE exists and contains STRING (for wait_for on container output).
file_has() { [ -f "$1" ] && grep -qF -- "$2" "$1"; }

# wait_ready ID: waits for a created or detached container to print "ready".
wait_ready() {
  wait_for file_has "$(out_file "$1")" ready || fail "container $1 printed: $(container_output "$1") $(container_stderr "$1")"
}

# bg CMD...: runs CMD in the background, out of bats' fds, and remembers its pid for teardown.
# The pid is in $BG_PID.
bg() {
  "$@" </dev/null 3>&- &
  BG_PID=$!
  echo "$BG_PID" >>"$T/bgpids"
}

# host_mount MOUNT-ARGS... TARGET: mount(8) on the host, undone by teardown.
host_mount() {
  mount "$@" || fail "mount $* failed"
  printf '%s\n' "${!#}" >>"$T.host-mounts"
}

# undo_host_mounts: unmounts what host_mount mounted (and other paths listed in
# $T.host-mounts), last first; what is not mounted there is skipped.
undo_host_mounts() {
  local m
  [ -s "$T.host-mounts" ] || return 0
  tac "$T.host-mounts" | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  : >"$T.host-mounts"
}

# ---- supervised containers -----------------------------------------------------------

# audit_log ID: the path of a supervised container's audit log, <root>/<id>/audit.log.
audit_log() { echo "$STATE/$1/audit.log"; }

# audit_select ID JQ-FILTER [JQ-ARGS...]: the audit lines of ID that JQ-FILTER selects (as in
# `select(FILTER)`), compact, one a line; nothing if none or no log.
audit_select() {
  local log
  log=$(audit_log "$1")
  [ -f "$log" ] || return 0
  jq -c "${@:3}" "select($2)" "$log" || fail "$log is not JSON lines: $(cat "$log")"
}

# assert_audit ID RULE ACTION [SUBJECT]: the audit log of ID has a decision of RULE with
# ACTION (on SUBJECT), every field there (time, id, pid, syscall, subject, rule, action,
# detail). The matching lines are left in $AUDIT.
assert_audit() {
  AUDIT=$(audit_select "$1" '.rule == $r and .action == $a and ($any or .subject == $s)' \
    --arg r "$2" --arg a "$3" --arg s "${4-}" --argjson any "$([ $# -ge 4 ] && echo false || echo true)")
  [ -n "$AUDIT" ] || fail "no audit line with rule $2, action $3${4+, subject $4} in $(audit_log "$1"): $(cat "$(audit_log "$1")" 2>/dev/null || echo "(no log)")"
  jq -se --arg id "$1" 'all(.[]; (.time | type) == "string" and .id == $id and (.pid | type) == "number" and
      (.syscall | type) == "string" and (.subject | type) == "string" and has("detail"))' <<<"$AUDIT" >/dev/null ||
    fail "an audit line lacks a field (time, id, pid, syscall, subject, detail): $AUDIT"
}

# refute_audit ID [SUBJECT]: no audit line (about SUBJECT).
refute_audit() {
  local found
  found=$(audit_select "$1" '$any or .subject == $s' --arg s "${2-}" --argjson any "$([ $# -ge 2 ] && echo false || echo true)")
  [ -z "$found" ] || fail "unexpected audit line${2+ about $2}: $found"
}

# ---- assertions ----------------------------------------------------------------------

# fail MESSAGE: ends the test with MESSAGE.
fail() {
  printf '%s\n' "$*" >&2
  return 1
}

# assert_status N: after `run`, the exit status was N.
assert_status() {
  [ "$status" -eq "$1" ] || fail "expected exit status $1, got $status; output: $output${stderr:+; stderr: $stderr}"
}

# assert_contains HAYSTACK NEEDLE
assert_contains() {
  [[ "$1" == *"$2"* ]] || fail "expected to find \"$2\" in: $1"
}

# assert_not_contains HAYSTACK NEEDLE
assert_not_contains() {
  [[ "$1" != *"$2"* ]] || fail "did not expect \"$2\" in: $1"
}

# assert_eq ACTUAL EXPECTED
assert_eq() {
  [ "$1" = "$2" ] || fail "expected \"$2\", got \"$1\""
}

# assert_one_line TEXT
assert_one_line() {
  [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ] || fail "expected one line, got: $1"
}

# The pids of live (not zombie) processes that belong to this test: ones carrying its token in
# their environment, naming its temp dir in their command line, or having a cwd, root or open
# file in it.
# no_test_processes: none of this test's processes is left.
no_test_processes() { [ -z "$(test_processes)" ]; }

test_processes() {
  local pat_env=$T.env-pattern pat_cmd=$T.cmd-pattern pid st
  printf '%s\n' "$TOKEN" >"$pat_env"
  printf '%s\n' "$T/" >"$pat_cmd"
  {
    grep -lsaF -f "$pat_env" /proc/[0-9]*/environ 2>/dev/null
    grep -lsaF -f "$pat_cmd" /proc/[0-9]*/cmdline 2>/dev/null
    find /proc/[0-9]*/cwd /proc/[0-9]*/root -maxdepth 0 \( -lname "$T/*" -o -lname "$T" \) 2>/dev/null
    find /proc/[0-9]*/fd -mindepth 1 -maxdepth 1 \( -lname "$T/*" -o -lname "$T" \) 2>/dev/null
  } | cut -d/ -f3 | sort -un | while read -r pid; do
    [ "$pid" = "$BASHPID" ] && continue
    st=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
    [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ] && echo "$pid"
  done
  rm -f "$pat_env" "$pat_cmd"
}

no_test_processes() { [ -z "$(test_processes)" ]; }

describe_processes() {
  local pid
  for pid in "$@"; do
    echo "  pid $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
  done
}

# Mounts in our mount namespace at or under the test's temp dir.
test_mounts() {
  grep -F -e "$T/" -e "$T " /proc/self/mountinfo || true
}

# id_like STRING: STRING could name a container (vigil's id rule), so a path made with it stays
# where it should: "." or a glob would name /vigil itself, or cgroups of tests running
# alongside. (A glob, not =~ with {1,1024}: that regex costs bash tens of ms to compile.)
id_like() {
  [[ -n $1 && ${#1} -le 1024 && $1 != *[!A-Za-z0-9_.+-]* && $1 != . && $1 != .. ]]
}

# test_cgroups: the cgroups of this test's containers that are still there, in vigil's default
# places: /vigil/ID (cgroupfs, v1 or v2) and the scope system.slice/vigil-ID.scope (systemd).
test_cgroups() {
  local id
  while IFS= read -r id; do
    id_like "$id" || continue
    compgen -G "/sys/fs/cgroup/*/vigil/$id" || true
    compgen -G "/sys/fs/cgroup/vigil/$id" || true
    compgen -G "/sys/fs/cgroup/system.slice/vigil-$id.scope" || true
  done <"$T/ids"
}

# assert_clean: nothing of this test's is left: no container state, no process, no mount,
# no cgroup, and the shared rootfs unchanged. (assert_clean --no-procs skips the process scan.)
assert_clean() {
  local problems="" procs="" mounts
  # vigil's cache of compiled seccomp filters stays, as it does in /run/vigil, and so do the
  # logs of containers that learned.
  local left
  left=$([ -d "$STATE" ] && ls -A "$STATE" | grep -vx -e ':seccomp-cache' -e ':learned' || true)
  if [ -n "$left" ]; then
    problems+="state root $STATE is not empty: $(tr '\n' ' ' <<<"$left")"$'\n'
  fi
  [ "${1:-}" = --no-procs ] || procs=$(test_processes)
  if [ -n "$procs" ]; then
    # shellcheck disable=SC2086
    problems+="processes left: "$'\n'"$(describe_processes $procs)"$'\n'
  fi
  mounts=$(test_mounts)
  [ -z "$mounts" ] || problems+="mounts left:"$'\n'"$mounts"$'\n'
  local cgroups
  cgroups=$(test_cgroups)
  [ -z "$cgroups" ] || problems+="cgroups left:"$'\n'"$cgroups"$'\n'
  if [ -f "$T.rootfs-before" ] && ! rootfs_snapshot | cmp -s - "$T.rootfs-before"; then
    problems+="the shared rootfs $ROOTFS changed:"$'\n'"$(rootfs_snapshot | diff "$T.rootfs-before" - | head -20)"$'\n'
  fi
  [ -z "$problems" ] || fail "$problems"
}

# teardown of every test: force-delete every container, kill leftovers, then assert_clean.
vigil_teardown() {
  [ -n "${T:-}" ] || return 0
  cd / || true
  local id pid procs mounts m
  # Mounts the test made on the host itself (host_mount) go first.
  undo_host_mounts
  # Every id the test used that could name a container dir, and whatever is in the state root.
  {
    cat "$T/ids" 2>/dev/null
    [ -d "$STATE" ] && ls -A "$STATE"
  } | sort -u | while IFS= read -r id; do
    id_like "$id" || continue
    [ -e "$STATE/$id" ] || continue
    timeout -k 2 "$VIGIL_TIMEOUT" "$VIGIL" --root "$STATE" "${DRIVER_FLAGS[@]}" delete --force "$id" </dev/null >/dev/null 2>&1 3>&- || true
  done
  # Background commands the test started (a foreground `vigil run`, say) and did not reap.
  while read -r pid; do
    [ -n "$pid" ] || continue
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done <"$T/bgpids"
  # What delete --force did not end is a failure; end it anyway, so nothing outlives the test.
  procs=$(test_processes)
  local report=""
  if [ -n "$procs" ]; then
    # shellcheck disable=SC2086
    report+="processes left after delete --force:"$'\n'"$(describe_processes $procs)"$'\n'
    # shellcheck disable=SC2086
    kill -9 $procs 2>/dev/null || true
    wait_for no_test_processes || true
  fi
  mounts=$(test_mounts)
  if [ -n "$mounts" ]; then
    report+="mounts left:"$'\n'"$mounts"$'\n'
    # Innermost first.
    for m in $(awk '{print $5}' <<<"$mounts" | sort -r); do
      umount -l "$m" 2>/dev/null || true
    done
  fi
  # teardown runs where `set -e` does not apply: each failure must reach the return value.
  local rc=0
  if [ -n "$report" ]; then
    fail "teardown: $report"
    rc=1
  fi
  # Processes were just scanned; scan again only if some had to be killed.
  if [ -n "$procs" ]; then assert_clean || rc=1; else assert_clean --no-procs || rc=1; fi
  return $rc
}

# ---- host features -------------------------------------------------------------------

require_userns() {
  [ -e /proc/self/ns/user ] && [ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 0)" -gt 0 ] ||
    skip "user namespaces are not available"
}

require_timens() {
  [ -e /proc/self/ns/time ] || skip "time namespaces are not available"
}

require_applet() {
  "$ROOTFS/bin/busybox" --list | grep -qx "$1" || skip "busybox has no $1 applet"
}
