# Shared by the benchmarks: timing a command into times[NAME], and the report.
declare -A times

# timed NAME CMD...: runs CMD, appends its wall time in microseconds to times[NAME].
timed() {
  local name=$1 t0 t1
  shift
  t0=${EPOCHREALTIME/./}
  "$@" >/dev/null 2>"$work/err" || { echo "$name failed: $*"; cat "$work/err"; exit 1; }
  t1=${EPOCHREALTIME/./}
  times[$name]+="$((t1 - t0)) "
}

median_ms() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.2f", m / 1000}'; }

# report TITLE NAME...: the median of each, and vigil's time over each.
report() {
  local title=$1 rt ms ratio vigil_ms
  shift
  echo "$title"
  vigil_ms=$(echo "${times[vigil]}" | median_ms)
  for rt in "$@"; do
    ms=$(echo "${times[$rt]}" | median_ms)
    ratio=$(awk -v v="$vigil_ms" -v o="$ms" 'BEGIN {printf "%.2f", v / o}')
    printf '  %-6s %8s ms   vigil/%s = %s\n' "$rt" "$ms" "$rt" "$ratio"
  done
}

# compare TITLE BASE OTHER: both medians and OTHER's time over BASE's.
compare() {
  local base other
  base=$(echo "${times[$2]}" | median_ms)
  other=$(echo "${times[$3]}" | median_ms)
  echo "$1"
  printf '  %-16s %8s ms\n  %-16s %8s ms   %s/%s = %s\n' "$2" "$base" "$3" "$other" "$3" "$2" \
    "$(awk -v o="$other" -v b="$base" 'BEGIN {printf "%.2f", o / b}')"
}
