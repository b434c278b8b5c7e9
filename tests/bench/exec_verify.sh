#!/bin/bash
# Exec verification's cost: a busybox shell loop of 1000 fork+exec of /bin/true, with vigil
# plain and with vigil under a policy that verifies every exec fully (a rule set, a checksum
# of /bin/busybox with every other file refused, the ELF checks, tpe), interleaved; then the
# same loop under gVisor's runsc (ptrace platform) for reference. Prints medians and ratios;
# the goal is verified/plain ≤ 1.15.
set -eu
LOOPS=${BENCH_LOOP_N:-7}
top=$(pwd)
work=$(mktemp -d /tmp/vigil-bench-exec.XXXXXX)
trap 'rm -rf "$work"' EXIT
. tests/bench/lib.sh

rootfs=$top/build/demo/rootfs
mkdir -p "$work/loop"
build/vigil spec --bundle "$work/loop"
build/tests/jsonedit "$work/loop/config.json" set /root/path "\"$rootfs\""
build/tests/jsonedit "$work/loop/config.json" set /process/terminal false
# An exec refused would end the loop with a failure, which `timed` reports: a run is only
# counted when all 1000 ran.
build/tests/jsonedit "$work/loop/config.json" set /process/args \
  '["sh","-c","i=0; while [ $i -lt 1000 ]; do /bin/true || exit 1; i=$((i+1)); done"]'

# busybox is static and not PIE (ET_EXEC, no PT_INTERP), with a stack that is not executable:
# require_pie and deny_static stay off, every other check is on.
sum=$(sha256sum "$rootfs/bin/busybox" | cut -d' ' -f1)
cat >"$work/verify.json" <<EOF
{"version": 1, "supervise": true, "exec": {
  "default": "deny",
  "rules": [
    {"path": "/bin/**", "action": "allow"},
    {"path": "/sbin/**", "action": "allow"},
    {"path": "/usr/bin/**", "action": "allow"},
    {"path": "/usr/sbin/**", "action": "allow"},
    {"path": "/lib/**", "action": "allow"},
    {"path": "/lib64/**", "action": "allow"},
    {"path": "/usr/lib/**", "action": "allow"},
    {"path": "/tmp/**", "action": "kill"},
    {"path": "/dev/shm/**", "action": "kill"},
    {"path": "/var/tmp/**", "action": "kill"}],
  "require_pie": false, "deny_execstack": true, "deny_ldso": true, "deny_elf32": true,
  "deny_static": false, "deny_dynamic": false, "deny_wx": true,
  "checksums": {"/bin/busybox": "sha256:$sum"}, "unlisted": "deny",
  "tpe": {"enabled": true, "trusted_uids": [0]}, "allow_memfd": false}}
EOF

vigil_run() { timed "$1" "$top/build/vigil" --root "$work/state" "${@:3}" run --bundle "$work/loop" "$2"; }
runsc_run() {
  timed runsc runsc --root "$work/runsc" --platform=ptrace --network=none run --bundle "$work/loop" "$1" </dev/null
}

# Whether this vigil takes the policy at all (the exec section's keys are new).
verify=1
if ! out=$(build/vigil policy check "$work/verify.json" 2>&1); then
  echo "exec loop under exec verification: skipped, this vigil does not take the policy:"
  sed 's/^/  /' <<<"$out"
  verify=0
fi
# runsc, if it runs here at all.
use_runsc=0
if ! command -v runsc >/dev/null; then
  echo "exec loop under runsc: skipped, runsc is not installed (apt install runsc)"
elif ! out=$(timeout 120 runsc --root "$work/runsc" --platform=ptrace --network=none run --bundle "$work/loop" warm-runsc </dev/null 2>&1); then
  echo "exec loop under runsc: skipped, runsc failed:"
  sed 's/^/  /' <<<"$out" | tail -5
else
  use_runsc=1
fi

# A round to warm the page cache and the cache of compiled filters, not counted.
vigil_run loop-plain warm
[ "$verify" = 0 ] || vigil_run loop-verified warm-v --policy "$work/verify.json"
times[loop-plain]="" times[loop-verified]=""
for i in $(seq "$LOOPS"); do
  vigil_run loop-plain "l$i"
  [ "$verify" = 0 ] || vigil_run loop-verified "lv$i" --policy "$work/verify.json"
  [ "$use_runsc" = 0 ] || runsc_run "lr$i"
done
title="exec loop: 1000 fork+exec of /bin/true in a busybox shell, $LOOPS runs each (median wall time)"
if [ "$verify" = 1 ]; then
  compare "$title; exec verification's goal: ≤ 1.15" loop-plain loop-verified
  title="the same loop"
fi
[ "$use_runsc" = 0 ] || compare "$title; gVisor's runsc --platform=ptrace for reference" loop-plain runsc
[ "$verify" = 0 ] || [ "$use_runsc" = 0 ] || compare "exec verification against runsc (same runs)" runsc loop-verified
