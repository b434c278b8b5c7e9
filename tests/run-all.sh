#!/bin/bash
# Runs every test (GoogleTest units, the bats suites, then each fuzz target briefly) and ends with one line:
# "N passed, N failed[, N skipped]". Exits non-zero on any failure.
set -u
cd "$(dirname "$0")/.."
passed=0 failed=0 skipped=0
timings=""
# cpu_busy: the jiffies all CPUs have been busy since boot (/proc/stat: all but idle and iowait).
cpu_busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
# stage TITLE: a stage's header; the time each took, and how busy it kept the CPUs (100% is
# every core, the background builds included), are printed at the end.
stage() {
  local busy now=$(cpu_busy)
  if [ -n "${stage_title:-}" ]; then
    busy=$(((now - stage_busy) * 100 / ($(getconf CLK_TCK) * $(nproc) * (SECONDS - stage_start > 0 ? SECONDS - stage_start : 1))))
    timings+="  $stage_title: $((SECONDS - stage_start)) s, CPUs ${busy}% busy"$'\n'
  fi
  stage_title=$1 stage_start=$SECONDS stage_busy=$now
  [ -z "$1" ] || echo "== $1"
}
out=$(mktemp)
trap 'rm -f "$out" "$out".*' EXIT

# The Debian tree of the workloads (tests/workloads) is made meanwhile, yielding the CPU and
# the disk to the tests (nice 19, the lowest best-effort I/O priority). Once made, it is kept
# in build/debian.
nice -n 19 ionice -c 2 -n 7 tests/debian-tree build/debian $(cat tests/workloads/debian-packages) >"$out.debian" 2>&1 &
debian_pid=$!
# So is the guest of the modern-host suite (tests/guest), kept in build/guest. The suite boots
# it once the image is made and the integration tests are over (the gate), and runs while the
# stages after them do: emulated (no /dev/kvm), the guest is busy with its own CPUs, and they
# wait on processes more than they compute. Emulated, it runs its core (tests/guest/run says
# which); `make guest` runs all of it.
# The core takes 2-3 minutes emulated, alongside the other stages: a guest still busy after
# 20 is stuck (once seen, not explained), and fails the stage then rather than after the
# hour tests/guest/run allows the whole suite.
guest_core=--core
[ -w /dev/kvm ] && guest_core=
[ -z "$guest_core" ] || export VIGIL_GUEST_TIMEOUT=${VIGIL_GUEST_TIMEOUT:-1200}
mkfifo "$out.gate"
exec {gate}<>"$out.gate"
(
  nice -n 19 ionice -c 2 -n 7 tests/guest/image build/guest >"$out.guest" 2>&1
  made=$?
  # Gone when run-all ended early (a failed build): the image stays made for the next run.
  read -r _ <"$out.gate" 2>/dev/null || exit 0
  start=$SECONDS
  if [ "$made" -eq 0 ]; then
    tests/guest/run $guest_core >"$out.guest-tap" 2>&1
    echo $? >"$out.guest-status"
  else
    # As the Debian workloads: no network to Debian's mirror, no guest; said, and skipped.
    printf '1..1\nok 1 the guest suite # skip the guest could not be made: %s\n' "$(tr '\n' ' ' <"$out.guest")" >"$out.guest-tap"
  fi
  echo "$((SECONDS - start))" >"$out.guest-time"
) &
guest_pid=$!

# What the stages run, built while the tree and the image are made.
stage "build (vigil, the sanitized unit tests and fuzz targets, the test programs)"
if ! make --no-print-directory check-build; then
  echo "the build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

stage "unit tests (ASan+UBSan)"
build/unit-tests --gtest_brief=1 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
# Brief mode prints one "[  FAILED  ] Suite.Test (N ms)" line per failed test, no total.
f=$(grep -E '^\[  FAILED  \] [A-Za-z_]+\.' "$out" | sort -u | wc -l)
s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
if [ -z "$p" ] && [ "$f" -eq 0 ]; then echo "unit tests did not run"; f=1; fi
# A crash or a sanitizer report fails the run even when no test says so.
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then echo "unit tests exited with status $rc"; f=1; fi
# Skipped tests are not among the passed ones; each prints its reason above.
passed=$((passed + ${p:-0})) failed=$((failed + ${f:-0})) skipped=$((skipped + ${s:-0}))

# count_tap WHAT: adds the TAP results in $out to the totals.
count_tap() {
  p=$(grep -c '^ok ' "$out")
  s=$(grep -c '^ok .* # skip' "$out")
  f=$(grep -c '^not ok ' "$out")
  if ! grep -q '^1\.\.[0-9]' "$out"; then echo "$1 did not run"; f=$((f + 1)); fi
  passed=$((passed + p - s)) failed=$((failed + f)) skipped=$((skipped + s))
}

# run_bats TITLE DIR GROUPS: one bats suite directory, counted from its TAP output. Its files
# run in GROUPS groups at once, the longest files spread first; each group's output prints
# when the suite is done.
run_bats() {
  stage "$1"
  local groups=$3 g f load=() files=() pids=()
  for ((g = 0; g < groups; g++)); do load[g]=0 files[g]=""; done
  while read -r lines f; do
    local least=0
    for ((g = 1; g < groups; g++)); do [ "${load[g]}" -lt "${load[least]}" ] && least=$g; done
    load[least]=$((load[least] + lines)) files[least]+="$f "
  done < <(wc -l "$2"/*.bats | grep -v ' total$' | sort -rn)
  for ((g = 0; g < groups; g++)); do
    [ -n "${files[g]}" ] || continue
    # shellcheck disable=SC2086
    bats --tap ${files[g]} >"$out.$g" 2>&1 &
    pids[g]=$!
  done
  : >"$out"
  for ((g = 0; g < groups; g++)); do
    [ -n "${pids[g]:-}" ] || continue
    wait "${pids[g]}"
    tee -a "$out" <"$out.$g"
    rm -f "$out.$g"
  done
  count_tap "bats $2"
}
# Integration tests, one group per core: each test makes its own state, ids and cgroups
# (helpers.bash). The clients one at a time: every podman, whatever its --root, takes its
# container locks in the same shared memory (/dev/shm/libpod_lock).
run_bats "integration tests (bats)" tests/integration "$(nproc)"
echo go >&"$gate"
run_bats "clients: podman and containerd driving vigil (bats)" tests/clients 1

stage "Debian workloads: apt-get, Python, a C build under learnt and shipped policies (bats)"
if wait "$debian_pid"; then
  bats --tap tests/workloads >"$out" 2>&1
else
  # Each test skips, saying why.
  DEBIAN_TREE_ERROR=$(cat "$out.debian") bats --tap tests/workloads >"$out" 2>&1
fi
cat "$out"
count_tap "bats tests/workloads"

# Each fuzz target a few seconds over its corpus: a parser that crashes on an input it took
# before, or on one close to it, fails here.
stage "fuzz targets (libFuzzer, ASan+UBSan, ${FUZZ_CHECK_SECONDS:=3} s each)"
tests/fuzz/run "$FUZZ_CHECK_SECONDS" 2>&1 | tee "$out"
count_tap "tests/fuzz/run"

stage "a modern host: systemd, cgroup v2 alone, Linux 6.1, in a qemu guest (bats${guest_core:+; emulated: its core})"
wait "$guest_pid"
cp "$out.guest-tap" "$out"
cat "$out"
count_tap "tests/guest/run"
# A guest that did not finish (its time bound) fails the stage even when what it printed passed.
if [ "$(cat "$out.guest-status" 2>/dev/null || echo 0)" -ne 0 ] && [ "$f" -eq 0 ]; then
  echo "tests/guest/run exited with status $(cat "$out.guest-status")"
  failed=$((failed + 1))
fi
[ -z "$guest_core" ] || echo "# the guest is emulated here (no /dev/kvm): make guest runs the whole guest suite"

stage ""
printf 'time per stage:\n%s' "$timings"
echo "  (the guest suite ran alongside the stages after the integration tests: $(cat "$out.guest-time") s of them)"
line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
