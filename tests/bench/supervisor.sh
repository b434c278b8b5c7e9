#!/bin/bash
# Supervision's cost: start-up of /bin/true, and a busybox shell loop of 1000 fork+exec of
# /bin/true, each run plain and supervised, interleaved. Supervised twice:
#  - by a supervisor that enforces nothing (exec: {"allow_memfd": true}): nothing notified,
#    nothing traced; what a supervisor costs by being there;
#  - under an empty exec section: each exec judged (no fileless exec) and seized for its exec
#    stop (the file checked is the one the kernel mapped), the least exec verification costs.
# Prints medians and the supervised/plain ratios; goals: start-up supervised ≤ 1.05, the loop
# with every exec judged ≤ 1.10.
set -eu
N=${BENCH_N:-100}
LOOPS=${BENCH_LOOP_N:-11}
top=$(pwd)
work=$(mktemp -d /tmp/vigil-bench-sup.XXXXXX)
trap 'rm -rf "$work"' EXIT
. tests/bench/lib.sh

bundle() {  # DIR ARGS-JSON
  mkdir -p "$1"
  build/vigil spec --bundle "$1"
  build/tests/jsonedit "$1/config.json" set /root/path "\"$top/build/demo/rootfs\""
  build/tests/jsonedit "$1/config.json" set /process/terminal false
  build/tests/jsonedit "$1/config.json" set /process/args "$2"
}
bundle "$work/true" '["/bin/true"]'
bundle "$work/loop" '["sh","-c","i=0; while [ $i -lt 1000 ]; do /bin/true; i=$((i+1)); done"]'
echo '{"version": 1, "supervise": true, "exec": {"allow_memfd": true}}' >"$work/nothing.json"
echo '{"version": 1, "supervise": true}' >"$work/judged.json"

# run_as NAME BUNDLE ID [POLICY]
run_as() {
  local policy=()
  [ -z "${4:-}" ] || policy=(--policy "$work/$4.json")
  timed "$1" "$top/build/vigil" --root "$work/state" "${policy[@]}" run --bundle "$work/$2" "$3"
}

# A round to warm the cache of compiled filters and the page cache, not counted.
run_as plain true warm
run_as supervised true warm-sup nothing
run_as exec-judged true warm-judged judged
times[plain]="" times[supervised]="" times[exec-judged]=""
for i in $(seq "$N"); do
  run_as plain true "t$i"
  run_as supervised true "s$i" nothing
  run_as exec-judged true "j$i" judged
done
compare "start-up: $N runs of /bin/true (median wall time)" plain supervised
compare "  the same, each exec judged" plain exec-judged
for i in $(seq "$LOOPS"); do
  run_as loop-plain loop "l$i"
  run_as loop-supervised loop "ls$i" nothing
  run_as loop-exec-judged loop "lj$i" judged
done
compare "exec loop: 1000 fork+exec of /bin/true in a busybox shell, $LOOPS runs each (median wall time)" \
  loop-plain loop-supervised
compare "  the same, each exec judged" loop-plain loop-exec-judged
