# Shared by the benchmarks: timing a command into times[NAME], and the report (medians, and
# ratios of runs side by side).
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

# ratio BASE OTHER: OTHER's time over BASE's. Runs side by side are paired (the benchmarks
# interleave them), and the median of the pairs' ratios taken: this machine's speed drifts
# over a benchmark, and a pair shares its moment. Unpaired lists: the medians' ratio.
ratio() {
  local base=${times[$1]} other=${times[$2]}
  awk -v b="$base" -v o="$other" 'BEGIN {
    nb = split(b, B, " "); no = split(o, O, " ")
    if (nb == no) { for (i = 1; i <= nb; i++) r[i] = O[i] / B[i]; n = nb }
    else { n = 1; r[1] = med(O, no) / med(B, nb) }
    printf "%.2f", med(r, n)
  }
  function med(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }'
}

# report TITLE NAME...: the median of each, and vigil's time over each.
report() {
  local title=$1 rt ms
  shift
  echo "$title"
  for rt in "$@"; do
    ms=$(echo "${times[$rt]}" | median_ms)
    printf '  %-6s %8s ms   vigil/%s = %s\n' "$rt" "$ms" "$rt" "$(ratio "$rt" vigil)"
  done
}

# compare TITLE BASE OTHER: both medians and OTHER's time over BASE's.
compare() {
  local base other
  base=$(echo "${times[$2]}" | median_ms)
  other=$(echo "${times[$3]}" | median_ms)
  echo "$1"
  printf '  %-16s %8s ms\n  %-16s %8s ms   %s/%s = %s\n' "$2" "$base" "$3" "$other" "$3" "$2" "$(ratio "$2" "$3")"
}

# debian_tree DIR PACKAGES: a Debian 12 minbase tree in DIR with PACKAGES in its apt cache
# (tests/debian-tree: made once, kept while it names the same packages). Fails, saying why,
# when it cannot be made (no network to the mirror).
debian_tree() {
  # shellcheck disable=SC2086
  tests/debian-tree "$1" $2 || { echo "Debian workloads: skipped"; return 1; }
}
