#!/usr/bin/env bats
# The modern host, in a guest (tests/guest/run boots it; README.md there): systemd as PID 1,
# cgroup v2 alone, D-Bus, Debian's 6.1 kernel. vigil's cgroup v2 paths for real with the
# cgroupfs driver and with the systemd driver (--systemd-cgroup: a transient scope in its
# slice, limits as unit properties, update through systemd, nothing left after delete), and
# its probes on an older kernel.

load ../integration/helpers

setup_file() {
  [ "$(cat /proc/1/comm)" = systemd ] || skip "not in the guest: PID 1 is $(cat /proc/1/comm) (tests/guest/run boots it)"
}

setup() {
  vigil_setup
  UNIT=vigil-$ID.scope
}

teardown() {
  vigil_teardown
  # The slices a test's scopes made systemd start; a stopped unit leaves nothing.
  systemctl stop "vigil-$ID.scope" kubepods.slice 2>/dev/null || true
  systemctl reset-failed "vigil-$ID.scope" 2>/dev/null || true
}

# unit_property NAME: the value of the container's scope's property NAME.
unit_property() { systemctl show -p "$1" --value "$UNIT"; }

# unit_gone: systemd knows no unit of the container, loaded, failed or otherwise.
unit_gone() { [ "$(systemctl show -p LoadState --value "$UNIT")" = not-found ]; }

@test "guest: systemd as PID 1 on cgroup v2 alone; vigil's probes, and a default container (its device rules an eBPF program)" {
  assert_eq "$(stat -fc %T /sys/fs/cgroup)" cgroup2fs
  run vigil features
  assert_eq "$(jq -c '.linux.cgroup | [.v1, .v2, .systemd]' <<<"$output")" '[false,true,true]'
  echo "# kernel $(uname -r): $(jq -c '{landlock: .annotations["run.vigil.host.landlock_abi"], seccomp: .linux.seccomp.supportedFlags}' <<<"$output")" >&3
  # Linux 6.1 has Landlock's second ABI (file renames across directories), not the third (truncate).
  [[ "$(uname -r)" != 6.1.* ]] || assert_eq "$(jq -r '.annotations["run.vigil.host.landlock_abi"]' <<<"$output")" 2
  # A container runs, in a cgroup namespace of its own on pure v2.
  cmd 'cat /proc/self/cgroup; ls /sys/fs/cgroup/cgroup.procs'
  run_fg "$ID"
  assert_status 0
  assert_eq "$output" $'0::/\n/sys/fs/cgroup/cgroup.procs'
}

@test "guest: cgroupfs on v2: memory.max, pids.max, cpu.max, the freezer and stats" {
  cfg set /linux/resources '{"memory": {"limit": 33554432, "swap": 33554432}, "pids": {"limit": 40}, "cpu": {"quota": 50000, "period": 100000}}'
  cmd 'sleep 1000'
  leave_running "$ID" create --bundle "$BUNDLE"
  [ "$status" -eq 0 ] || fail "create failed: $output"
  start_ok "$ID"
  local cg
  cg=/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$(state_of "$ID" pid)/cgroup")
  assert_eq "$(cat "$cg/memory.max") $(cat "$cg/pids.max") $(cat "$cg/cpu.max")" "33554432 40 50000 100000"
  vigil pause "$ID" || fail "pause failed"
  assert_eq "$(cat "$cg/cgroup.freeze")" 1
  assert_eq "$(state_of "$ID" status)" paused
  vigil resume "$ID" || fail "resume failed"
  assert_eq "$(cat "$cg/cgroup.freeze")" 0
  run vigil events --stats "$ID"
  [ "$(jq '.data.memory.usage.usage' <<<"$output")" -gt 0 ] || fail "no memory usage in the stats: $output"
  [ "$(jq '.data.pids.current' <<<"$output")" -ge 1 ] || fail "no pids in the stats: $output"
  vigil delete --force "$ID" || fail "delete failed"
  [ ! -d "$cg" ] || fail "$cg is left"
}

@test "guest: --systemd-cgroup puts the container in a transient scope of its slice, its limits unit properties" {
  cfg set /linux/cgroupsPath "\"machine.slice:vigil:$ID\""
  cfg set /linux/resources '{"memory": {"limit": 67108864}, "pids": {"limit": 50}, "cpu": {"shares": 1024, "quota": 50000, "period": 100000}}'
  cmd 'sleep 1000'
  leave_running "$ID" --systemd-cgroup create --bundle "$BUNDLE"
  [ "$status" -eq 0 ] || fail "create failed: $output"
  start_ok "$ID"
  assert_eq "$(systemctl is-active "$UNIT")" active
  assert_eq "$(unit_property MemoryMax) $(unit_property TasksMax) $(unit_property CPUQuotaPerSecUSec)" "67108864 50 500ms"
  local cg=/sys/fs/cgroup/machine.slice/$UNIT
  assert_eq "$(cat "$cg/memory.max") $(cat "$cg/pids.max") $(cat "$cg/cpu.max")" "67108864 50 50000 100000"
  grep -qx "0::/machine.slice/$UNIT" "/proc/$(state_of "$ID" pid)/cgroup" || fail "the init is not in $UNIT: $(cat "/proc/$(state_of "$ID" pid)/cgroup")"
  # update goes through systemd too.
  vigil update --memory 33554432 --pids-limit 30 "$ID" || fail "update failed"
  assert_eq "$(unit_property MemoryMax) $(unit_property TasksMax)" "33554432 30"
  assert_eq "$(cat "$cg/memory.max") $(cat "$cg/pids.max")" "33554432 30"
  vigil pause "$ID" && assert_eq "$(cat "$cg/cgroup.freeze")" 1 && vigil resume "$ID" || fail "pause/resume failed"
  vigil delete --force "$ID" || fail "delete failed"
  unit_gone || fail "$UNIT is left: $(systemctl status "$UNIT" 2>&1 | head -3)"
  [ ! -d "$cg" ] || fail "$cg is left"
}

@test "guest: a pod's nested slice, as the kubelet's systemd driver names it, and nothing left after a kill" {
  local pod=kubepods-burstable-pod$$.slice
  UNIT=cri-containerd-$ID.scope
  cfg set /linux/cgroupsPath "\"$pod:cri-containerd:$ID\""
  cmd 'sleep 1000'
  leave_running "$ID" --systemd-cgroup create --bundle "$BUNDLE"
  [ "$status" -eq 0 ] || fail "create failed: $output"
  start_ok "$ID"
  local cg=/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/$pod/$UNIT
  [ -d "$cg" ] || fail "no $cg: $(find /sys/fs/cgroup/kubepods.slice -maxdepth 3 -type d)"
  # Killed from outside: the scope ends with its last process; delete leaves no unit, failed or not.
  kill -9 "$(state_of "$ID" pid)"
  wait_for sh -c "[ \"\$(\"$VIGIL\" --root \"$STATE\" state \"$ID\" | jq -r .status)\" = stopped ]"
  vigil delete "$ID" || fail "delete failed"
  unit_gone || fail "$UNIT is left: $(systemctl status "$UNIT" 2>&1 | head -3)"
  [ -z "$(systemctl list-units --all --failed --plain --no-legend 'cri-containerd-*')" ] || fail "a failed unit is left"
  [ ! -d "$cg" ] || fail "$cg is left"
}
