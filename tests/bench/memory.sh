#!/bin/bash
# Memory limits' cost: tests/bench/alloc_heavy.c (a million malloc/free of mixed sizes, the
# heap growing and shrinking) in a container, with vigil plain and under a policy with
# memory.max and memory.vm_max (far above what it uses), then container_max as well,
# interleaved. Goals: limited/plain ≤ 1.10, container/plain ≤ 1.5. The writable maps are
# notified under both, brk only under container_max (with deny alone RLIMIT_DATA holds it:
# memory_watch.hpp); the supervisor counts them.
set -eu
LOOPS=${BENCH_LOOP_N:-9}
top=$(pwd)
work=$(mktemp -d /tmp/vigil-bench-memory.XXXXXX)
trap 'rm -rf "$work"' EXIT
. tests/bench/lib.sh

cp -a build/demo/rootfs "$work/rootfs"
gcc -O2 -static -o "$work/rootfs/bin/alloc_heavy" tests/bench/alloc_heavy.c
mkdir -p "$work/b"
build/vigil spec --bundle "$work/b"
build/tests/jsonedit "$work/b/config.json" set /root/path "\"$work/rootfs\""
build/tests/jsonedit "$work/b/config.json" set /process/terminal false
build/tests/jsonedit "$work/b/config.json" set /process/args '["alloc_heavy"]'
printf '{"version": 1, "supervise": true, "exec": {"allow_memfd": true}, "memory": {"max": "1G", "vm_max": "4G"}}\n' >"$work/limits.json"
printf '{"version": 1, "supervise": true, "exec": {"allow_memfd": true}, "memory": {"max": "1G", "vm_max": "4G", "container_max": "2G"}}\n' >"$work/container.json"
# Execs are not judged in either (allow_memfd and nothing else): the supervisor alone
# separates its start-up from what the limits cost.
printf '{"version": 1, "supervise": true, "exec": {"allow_memfd": true}}\n' >"$work/supervised.json"

vigil_run() { timed "$1" "$top/build/vigil" --root "$work/state" "${@:3}" run --bundle "$work/b" "$2"; }

vigil_run plain warm
vigil_run limited warm-l --policy "$work/limits.json"
for i in $(seq "$LOOPS"); do
  vigil_run plain "p$i"
  vigil_run supervised "s$i" --policy "$work/supervised.json"
  vigil_run limited "l$i" --policy "$work/limits.json"
  vigil_run container "c$i" --policy "$work/container.json"
done
title="memory: a million malloc/free in a container, $LOOPS runs each (median wall time, run included)"
compare "$title; supervised, no limit" plain supervised
compare "memory.max 1G and vm_max 4G; goal ≤ 1.10" plain limited
compare "the limits alone, over the supervisor's start-up" supervised limited
compare "container_max 2G as well; goal ≤ 1.5" plain container
# How many calls were notified: the supervisor's count, in its debug log.
for p in limits container; do
  "$top/build/vigil" --root "$work/state" --debug --log "$work/count-$p.log" --policy "$work/$p.json" run --bundle "$work/b" "count-$p" >/dev/null
  echo "notified calls in one run, $p: $(sed -n 's/.*supervisor of count-[a-z]*: .* \([0-9]*\) notifications.*/\1/p' "$work/count-$p.log")"
done
