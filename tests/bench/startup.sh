#!/bin/bash
# Start-up: N sequential `run` of /bin/true on the same busybox bundle with vigil, runc and
# crun, interleaved so machine noise hits all three alike. Prints medians and ratios.
set -eu
N=${BENCH_N:-100}
top=$(pwd)
work=$(mktemp -d /tmp/vigil-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
bundle=$work/bundle
mkdir -p "$bundle"
build/vigil spec --bundle "$bundle"
build/tests/jsonedit "$bundle/config.json" set /root/path "\"$top/build/demo/rootfs\""
build/tests/jsonedit "$bundle/config.json" set /process/args '["/bin/true"]'
build/tests/jsonedit "$bundle/config.json" set /process/terminal false
# crun 1.8 knows runtime-spec versions up to 1.1 only.
build/tests/jsonedit "$bundle/config.json" set /ociVersion '"1.0.2"'

declare -A times
run_one() {  # runtime, id: appends the wall time in microseconds
  local name=$1 id=$2 t0 t1
  case $name in
    vigil) cmd=("$top/build/vigil" --root "$work/vigil" run --bundle "$bundle" "$id") ;;
    runc) cmd=(runc --root "$work/runc" run --bundle "$bundle" "$id") ;;
    crun) cmd=(crun --root "$work/crun" run --bundle "$bundle" "$id") ;;
  esac
  t0=${EPOCHREALTIME/./}
  "${cmd[@]}" >/dev/null 2>"$work/err" || { echo "$name failed:"; cat "$work/err"; exit 1; }
  t1=${EPOCHREALTIME/./}
  times[$name]+="$((t1 - t0)) "
}

median_ms() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.2f", m / 1000}'; }

runtimes=(vigil)
command -v runc >/dev/null && runtimes+=(runc)
command -v crun >/dev/null && runtimes+=(crun)
for rt in "${runtimes[@]}"; do run_one "$rt" "warm-$rt"; times[$rt]=""; done
for i in $(seq "$N"); do
  for rt in "${runtimes[@]}"; do run_one "$rt" "b$i-$rt"; done
done

echo "start-up: $N sequential runs of /bin/true (median wall time)"
vigil_ms=$(echo "${times[vigil]}" | median_ms)
for rt in "${runtimes[@]}"; do
  ms=$(echo "${times[$rt]}" | median_ms)
  ratio=$(awk -v v="$vigil_ms" -v o="$ms" 'BEGIN {printf "%.2f", v / o}')
  printf '  %-6s %8s ms   vigil/%s = %s\n' "$rt" "$ms" "$rt" "$ratio"
done
