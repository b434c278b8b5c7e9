#!/usr/bin/env bats
# Memory limits (docs/POLICY.md, the `memory` section). With action deny, memory.max is every
# process's RLIMIT_DATA and memory.vm_max its RLIMIT_AS, so brk, private writable maps
# (MAP_NORESERVE too), mremap, mprotect to writable and thread stacks get ENOMEM at the limit
# from the kernel; the supervisor adds shared memory (MAP_SHARED|MAP_ANONYMOUS, memfd, System
# V shm) to the same figure, adds up the container for container_max, and carries out warn
# and kill. tests/exec/alloc allocates one way until refused and prints how much it got.

load helpers

setup_file() {
  file_rootfs alloc || return 1
  cp "$FILE_ROOTFS/bin/alloc" "$FILE_ROOTFS/bin/alloc2"
}

setup() {
  vigil_setup
  cfg set /root/path "$(json_str "$FILE_ROOTFS")"
}
teardown() { vigil_teardown; }

# memory_policy NAME SECTION: $T/NAME.json, a supervising policy with this memory section.
memory_policy() {
  printf '{"version": 1, "supervise": true, "memory": %s}\n' "$2" >"$T/$1.json"
}

# sh_under ID POLICY SCRIPT: runs `sh -c SCRIPT` under $T/POLICY.json from create to its
# end; sets status (vigil's), output and stderr. The container stays (stopped) for its audit
# log; teardown deletes it.
sh_under() { script_to_end "$1" --policy "$T/$2.json" -- "$3"; }

# alloc_under ID POLICY MODE: runs `alloc MODE; echo alive` under $T/POLICY.json; sets
# status, output and KIB (what alloc got before it was refused).
alloc_under() {
  sh_under "$1" "$2" "alloc $3 && echo alive"
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

@test "memory: max counts shared memory with private memory: shared maps, memfd, System V shm, each object once" {
  memory_policy max '{"max": "64M"}'
  local mode
  for mode in shared memfd shm heapshared twice; do
    alloc_under "$ID-$mode" max "$mode"
    assert_refused_near 65536 1024 ENOMEM
    # The supervisor refused it: an audit line with the limit, the figure and the request.
    assert_audit "$ID-$mode" memory.max deny "1048576 bytes"
    assert_contains "$AUDIT" '"detail":"limit 67108864 bytes, current '
    assert_contains "$AUDIT" ', request 1048576 bytes"'
    assert_contains "$AUDIT" "\"syscall\":\"$([ "$mode" = shm ] && echo shmat || echo mmap)\""
  done
  # A memfd grown to 1 GiB by ftruncate costs nothing until it is mapped: then all of it.
  alloc_under "$ID-big" max bigmemfd
  assert_contains "$output" "bigmemfd: 0 KiB, then ENOMEM"
  assert_audit "$ID-big" memory.max deny "1073741824 bytes"
}

@test "memory: with deny, brk is left to RLIMIT_DATA, whose soft limit is what shared memory leaves of max" {
  memory_policy max '{"max": "64M"}'
  # 32 sbrk calls of 1 MiB, none of them notified: the supervisor sees the two execs (sh,
  # alloc) and a few maps.
  script_to_end "$ID" --debug --log "$T/debug.log" --policy "$T/max.json" -- 'alloc brk 32'
  assert_eq "$output" "brk: 32768 KiB, then nothing"
  wait_for file_has "$T/debug.log" "notifications"
  local count
  count=$(sed -n 's/.*the container is over, exiting; \([0-9]*\) notifications.*/\1/p' "$T/debug.log")
  [ -n "$count" ] && [ "$count" -lt 16 ] || fail "the supervisor was notified $count times: $(cat "$T/debug.log")"
  # 32 MiB of memfd mapped, then brk: the kernel refuses the heap near 64 MiB in all, not at
  # 64 MiB of heap alone; the refusal is the kernel's, with no audit line.
  alloc_under "$ID-sh" max sharedheap
  assert_refused_near 65536 1024 ENOMEM
  [ "$KIB" -gt 32768 ] || fail "no heap at all: $output"
  [ -z "$(audit_select "$ID-sh" '.syscall == "brk"')" ] || fail "brk was judged: $(cat "$(audit_log "$ID-sh")")"
  # A process of another uid: its limit is set where the supervisor may (CAP_SYS_RESOURCE), and
  # elsewhere its brk is notified; refused near the limit either way.
  cfg set /process/user/uid 1000
  alloc_under "$ID-user" max sharedheap
  assert_refused_near 65536 1024 ENOMEM
}

@test "memory: warn lets every allocation through, audited once per process and limit" {
  memory_policy warn '{"max": "64M", "action": "warn"}'
  sh_under "$ID" warn 'alloc mmap 96 && alloc brk 96 && alloc memfd 96 && echo alive'
  assert_eq "$output" $'mmap: 98304 KiB, then nothing\nbrk: 98304 KiB, then nothing\nmemfd: 98304 KiB, then nothing\nalive'
  assert_audit "$ID" memory.max warn
  assert_eq "$(grep -c . <<<"$AUDIT")" 3
  assert_eq "$(jq -r .syscall <<<"$AUDIT" | tr '\n' ' ')" "mmap brk mmap "
  # Without a deny there is no rlimit: the supervisor alone judges.
  sh_under "$ID-limits" warn 'ulimit -H -d'
  assert_eq "$output" unlimited
}

@test "memory: kill ends the process at the limit, and the container goes on" {
  memory_policy kill '{"max": "64M", "action": "kill"}'
  sh_under "$ID" kill 'alloc shared; echo "shared $?"; alloc brk; echo "brk $?"'
  assert_eq "$output" $'shared 137\nbrk 137'
  assert_audit "$ID" memory.max kill
  assert_eq "$(grep -c . <<<"$AUDIT")" 2
}

@test "memory: vm_max with warn or kill is the supervisor's too" {
  memory_policy vm '{"vm_max": "1G", "action": "warn"}'
  sh_under "$ID" vm 'alloc reserve 64'
  # The 8 GiB PROT_NONE reservation passes vm_max: warned, then allowed.
  assert_eq "$output" "reserve: 65536 KiB, then nothing"
  assert_audit "$ID" memory.vm_max warn "8589934592 bytes"
}

@test "memory: container_max adds up the container's processes" {
  memory_policy cmax '{"container_max": "128M"}'
  # Children forked one after another, each holding 8 MiB: one of them is refused.
  alloc_under "$ID" cmax children
  assert_refused_near 131072 8192 ENOMEM
  assert_audit "$ID" memory.container_max deny "8388608 bytes"
  # Alone, each process is far below any per-process limit.
  memory_policy big '{"max": "64M", "container_max": "1G"}'
  alloc_under "$ID-big" big "children 256"
  assert_contains "$output" "children: 262144 KiB, then nothing"
}

@test "memory: exec verification and memory limits in one policy" {
  printf '%s\n' '{"version": 1, "supervise": true, "memory": {"max": "64M"},
    "exec": {"rules": [{"path": "/bin/alloc2", "action": "deny"}]}}' >"$T/both.json"
  sh_under "$ID" both 'alloc2 shared; echo "alloc2 $?"; alloc shared'
  assert_contains "$output" "alloc2 126"
  assert_contains "$output" "shared: 64512 KiB, then ENOMEM"
  assert_audit "$ID" 'exec.rules[0]' deny /bin/alloc2
  assert_audit "$ID" memory.max deny
}

@test "memory: container_max \"cgroup\" is the config's memory limit" {
  memory_policy cg '{"container_max": "cgroup"}'
  cfg set /linux/resources/memory '{"limit": 134217728}'
  alloc_under "$ID" cg children
  assert_refused_near 131072 8192 ENOMEM
  assert_audit "$ID" memory.container_max deny
  assert_contains "$AUDIT" '"detail":"limit 134217728 bytes'
  # Without a memory limit in the config there is nothing to hold it to.
  cfg set /linux/resources/memory '{}'
  alloc_under "$ID-none" cg "children 64"
  assert_contains "$output" "children: 65536 KiB, then nothing"
}

@test "memory: a MAP_GROWSDOWN map, which page faults alone would grow, is refused" {
  memory_policy max '{"max": "64M"}'
  alloc_under "$ID" max growsdown
  assert_contains "$output" "growsdown: 0 KiB, then ENOMEM"
  assert_audit "$ID" memory.max deny MAP_GROWSDOWN
}
