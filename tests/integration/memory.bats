#!/usr/bin/env bats
# Memory limits (docs/POLICY.md, the `memory` section): what the kernel enforces by itself.
# With action deny, memory.max is every process's RLIMIT_DATA and memory.vm_max its
# RLIMIT_AS, so brk, private writable maps (MAP_NORESERVE too), mremap, mprotect to writable
# and thread stacks get ENOMEM at the limit, and the program goes on. tests/exec/alloc
# allocates one way until refused and prints how much it got.

load helpers

setup_file() {
  [ -f "$REPO/build/tests/exec/alloc" ] || fail "build/tests/exec/alloc is missing: make integration builds it" || return 1
  export AROOTFS=$BATS_FILE_TMPDIR/rootfs
  cp -a "$ROOTFS" "$AROOTFS"
  cp "$REPO/build/tests/exec/alloc" "$AROOTFS/bin/alloc"
}

teardown_file() {
  [ -n "${AROOTFS:-}" ] && rm -rf "$AROOTFS"
}

setup() {
  vigil_setup
  cfg set /root/path "$(json_str "$AROOTFS")"
}
teardown() { vigil_teardown; }

# memory_policy NAME SECTION: $T/NAME.json, a supervising policy with this memory section.
memory_policy() {
  printf '{"version": 1, "supervise": true, "memory": %s}\n' "$2" >"$T/$1.json"
}

# alloc_under ID POLICY MODE: runs `alloc MODE; echo alive` under $T/POLICY.json; sets
# status, output and KIB (what alloc got before it was refused).
alloc_under() {
  cmd "alloc $3 && echo alive"
  leave_running "$1" --policy "$T/$2.json" run --bundle "$BUNDLE"
  output=$(container_output "$1")
  stderr=$(container_stderr "$1")
  KIB=$(sed -n "s/^$3: \([0-9]*\) KiB, then .*/\1/p" <<<"$output")
}

# assert_refused_near LIMIT-KIB REQUEST-KIB ERRNO: alloc was refused with ERRNO once it had
# between 90% of the limit, less one request, and the limit; and the container went on.
assert_refused_near() {
  [ "$status" -eq 0 ] || fail "the container failed ($status): $output $stderr"
  assert_contains "$output" "then $3"
  assert_contains "$output" alive
  [ -n "$KIB" ] && [ "$KIB" -le "$1" ] && [ "$KIB" -ge $(($1 * 9 / 10 - $2)) ] ||
    fail "refused after $KIB KiB, not between 90% of $1 KiB less $2 KiB and $1 KiB: $output"
}

@test "memory: max refuses each way of allocating private memory near the limit, and the program goes on" {
  memory_policy max '{"max": "64M"}'
  local mode request
  for mode in small:1 large:1024 mmap:1024 mremap:1024 brk:1024 threads:8192 reserve:16384; do
    request=${mode#*:} mode=${mode%:*}
    alloc_under "$ID-$mode" max "$mode"
    assert_refused_near 65536 "$request" "$([ "$mode" = threads ] && echo EAGAIN || echo ENOMEM)"
  done
}

@test "memory: a MAP_NORESERVE map counts at its full size when it is made" {
  memory_policy max '{"max": "64M"}'
  alloc_under "$ID" max noreserve
  # The 64 GiB map is refused; a 16 MiB one is made, and touching it is fine.
  [ "$status" -eq 0 ] || fail "the container failed ($status): $output $stderr"
  assert_contains "$output" "noreserve: 16384 KiB, then ENOMEM"
  assert_contains "$output" alive
}

@test "memory: vm_max bounds the virtual size, PROT_NONE reservations too" {
  memory_policy vm '{"vm_max": "1G"}'
  alloc_under "$ID" vm reserve
  assert_contains "$output" "reserve: 0 KiB, then ENOMEM"
  alloc_under "$ID-mmap" vm mmap
  assert_refused_near 1048576 1024 ENOMEM
}

@test "memory: the limits hold in processes vigil exec starts, and a process cannot raise them" {
  memory_policy max '{"max": "64M", "vm_max": "1G"}'
  cmd 'sleep 60'
  leave_running "$ID" --policy "$T/max.json" run --detach --bundle "$BUNDLE"
  [ "$status" -eq 0 ] || fail "run --detach failed ($status): $output"
  exec_out=$(vigil exec "$ID" alloc brk)
  assert_contains "$exec_out" "then ENOMEM"
  kib=$(sed -n 's/^brk: \([0-9]*\) KiB.*/\1/p' <<<"$exec_out")
  [ "$kib" -le 65536 ] || fail "vigil exec's process got $kib KiB"
  # The init's hard limits are the policy's (in KiB: 64M and 1G).
  limits=$(vigil exec "$ID" sh -c 'ulimit -H -d; ulimit -H -v')
  assert_eq "$limits" $'65536\n1048576'
  # Without CAP_SYS_RESOURCE the kernel keeps the hard limit.
  assert_contains "$(vigil exec "$ID" alloc raise)" "raise: RLIMIT_DATA EPERM, RLIMIT_AS EPERM"
}

@test "memory: a process with CAP_SYS_RESOURCE cannot raise the limits either" {
  # CAP_SYS_RESOURCE is bit 24 of the bounding set.
  (( 0x$(awk '/^CapBnd:/ {print $2}' /proc/self/status) >> 24 & 1 )) ||
    skip "this host has no CAP_SYS_RESOURCE to give a container (../shared/HOST.md)"
  memory_policy max '{"max": "64M", "vm_max": "1G"}'
  cfg set /process/args '["alloc", "raise"]'
  cfg set /process/capabilities/bounding '["CAP_SYS_RESOURCE"]'
  cfg set /process/capabilities/effective '["CAP_SYS_RESOURCE"]'
  cfg set /process/capabilities/permitted '["CAP_SYS_RESOURCE"]'
  leave_running "$ID" --policy "$T/max.json" run --bundle "$BUNDLE"
  assert_contains "$(container_output "$ID")" "raise: RLIMIT_DATA EPERM, RLIMIT_AS EPERM"
}

@test "memory: a lower rlimit of the config is kept" {
  memory_policy max '{"max": "64M"}'
  cfg set /process/rlimits '[{"type": "RLIMIT_DATA", "soft": 33554432, "hard": 33554432}]'
  alloc_under "$ID" max brk
  assert_refused_near 32768 1024 ENOMEM
}

@test "memory: what is not enforced yet is refused at create, not ignored" {
  memory_policy cmax '{"container_max": "1G"}'
  leave_running "$ID" --policy "$T/cmax.json" create --bundle "$BUNDLE"
  [ "$status" -ne 0 ] || fail "create took a container_max"
  assert_contains "$output" "memory.container_max is not enforced by this version of vigil yet"
  memory_policy warn '{"max": "64M", "action": "warn"}'
  leave_running "$ID-w" --policy "$T/warn.json" create --bundle "$BUNDLE"
  [ "$status" -ne 0 ] || fail "create took action warn"
  assert_contains "$output" "memory.action=warn is not enforced by this version of vigil yet (only deny)"
}
