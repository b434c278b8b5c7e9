#!/bin/bash
# Supervision's cost: start-up of /bin/true, and a busybox shell loop of 1000 fork+exec of
# /bin/true, each with vigil plain and vigil supervised under a policy with an empty exec
# section (the supervisor still verifies each exec: the file it checked is the one the kernel
# mapped, no fileless exec), interleaved. Prints medians and the supervised/plain ratios.
set -eu
N=${BENCH_N:-100}
LOOPS=${BENCH_LOOP_N:-7}
top=$(pwd)
work=$(mktemp -d /tmp/vigil-bench-sup.XXXXXX)
trap 'rm -rf "$work"' EXIT
. tests/bench/lib.sh

bundle() {  # DIR ARGS-JSON ANNOTATIONS-JSON
  mkdir -p "$1"
  build/vigil spec --bundle "$1"
  build/tests/jsonedit "$1/config.json" set /root/path "\"$top/build/demo/rootfs\""
  build/tests/jsonedit "$1/config.json" set /process/terminal false
  build/tests/jsonedit "$1/config.json" set /process/args "$2"
  build/tests/jsonedit "$1/config.json" set /annotations "$3"
}
loop='["sh","-c","i=0; while [ $i -lt 1000 ]; do /bin/true; i=$((i+1)); done"]'
bundle "$work/true" '["/bin/true"]' '{}'
bundle "$work/true-sup" '["/bin/true"]' '{"run.vigil.supervise":"true"}'
bundle "$work/loop" "$loop" '{}'
bundle "$work/loop-sup" "$loop" '{"run.vigil.supervise":"true"}'

run_in() { timed "$1" "$top/build/vigil" --root "$work/state" run --bundle "$work/$2" "$3"; }

# A round to warm the cache of compiled filters and the page cache, not counted.
run_in plain true warm
run_in supervised true-sup warm-sup
times[plain]="" times[supervised]=""
for i in $(seq "$N"); do
  run_in plain true "t$i"
  run_in supervised true-sup "s$i"
done
compare "start-up: $N runs of /bin/true (median wall time)" plain supervised
for i in $(seq "$LOOPS"); do
  run_in loop-plain loop "l$i"
  run_in loop-supervised loop-sup "ls$i"
done
compare "exec loop: 1000 fork+exec of /bin/true in a busybox shell, $LOOPS runs each (median wall time)" \
  loop-plain loop-supervised
