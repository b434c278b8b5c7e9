#!/usr/bin/env bats
# The clients on the modern host (in the guest, tests/guest/run boots it), as a node of that
# kind runs them: podman with cgroup_manager = "systemd", and containerd's CRI with
# SystemdCgroup = true. Both call vigil with --systemd-cgroup and a slice:prefix:name
# cgroupsPath, as they call runc there.

load ../clients/client_helpers

setup_file() {
  [ "$(cat /proc/1/comm)" = systemd ] || skip "not in the guest: PID 1 is $(cat /proc/1/comm) (tests/guest/run boots it)"
}

teardown() {
  if [ -n "${PODMAN_DIR:-}" ]; then
    make_podman_env "$PODMAN_DIR" systemd
    podman_clean "$PODMAN_DIR"
  fi
  [ -z "${CRI_DIR:-}" ] || stop_containerd "$CRI_DIR"
  # The slices the pods' scopes made systemd start.
  systemctl stop kubepods.slice 2>/dev/null || true
}

# units PATTERN: the units of systemd's whose names match PATTERN, whatever their state.
units() { systemctl list-units --all --plain --no-legend "$1" | awk '{print $1}'; }

@test "guest: podman with cgroup_manager systemd: run --memory, exec, stats, stop; the container a scope of machine.slice, gone after rm" {
  PODMAN_DIR=$BATS_TEST_TMPDIR/podman
  make_podman_env "$PODMAN_DIR" systemd
  import_busybox
  run --separate-stderr timeout 120 "${PODMAN[@]}" run -d --network none --memory 64m --name web localhost/busybox \
    sh -c 'trap "exit 7" TERM; while :; do sleep 0.1; done'
  assert_status 0
  local unit=libpod-$output.scope
  assert_eq "$(systemctl is-active "$unit") $(systemctl show -p Slice --value "$unit")" "active machine.slice"
  assert_eq "$(systemctl show -p MemoryMax --value "$unit")" 67108864
  assert_eq "$(cat "/sys/fs/cgroup/machine.slice/$unit/memory.max")" 67108864
  run --separate-stderr timeout 60 "${PODMAN[@]}" exec web sh -c 'cat /proc/self/cgroup; cat /sys/fs/cgroup/memory.max'
  assert_status 0
  assert_eq "$output" $'0::/\n67108864'
  # podman stats reads the scope's cgroup: the limit is the container's 64 MiB.
  run --separate-stderr timeout 60 "${PODMAN[@]}" stats --no-stream --format '{{.MemUsage}}' web
  assert_status 0
  assert_contains "$output" "/ 67.11MB"
  run --separate-stderr timeout 60 "${PODMAN[@]}" stop -t 10 web
  assert_status 0
  assert_eq "$(timeout 30 "${PODMAN[@]}" inspect --format '{{.State.ExitCode}}' web)" 7
  timeout 60 "${PODMAN[@]}" rm web >/dev/null || fail "podman rm failed"
  assert_eq "$(systemctl show -p LoadState --value "$unit")" not-found
  assert_eq "$(units 'libpod-*')" ""
  assert_eq "$(state_left /run/vigil)" ""
}

@test "guest: containerd's CRI with SystemdCgroup: a pod's containers are scopes of its kubepods slice with their limits; nothing left after removal" {
  [ -f "$REPO/build/tests/cri/api_pb2.py" ] || skip "no CRI stubs: make build/tests/cri/api_pb2.py"
  CRI_DIR=$BATS_TEST_TMPDIR/containerd
  start_cri "$CRI_DIR" "SystemdCgroup = true"
  # The kubelet's systemd driver names a Burstable pod's slice so: kubepods-burstable-pod<uid>.slice.
  local slice=kubepods-burstable-podvigil$$.slice
  run --separate-stderr timeout 300 /usr/bin/python3 "$REPO/tests/clients/cri/pod.py" --sock "$CRI_DIR/containerd.sock" \
    --stubs "$REPO/build/tests/cri" --handler vigil --image localhost/pause:latest --cgroup-parent "$slice" \
    --logs "$BATS_TEST_TMPDIR/pods" lifecycle
  [ "$status" -eq 0 ] || fail "pod.py failed ($status): $stderr; containerd says: $(grep -i error "$CRI_DIR/containerd.log" | tail -3)"
  seen() { "$JSONEDIT" /dev/stdin get "$1" <<<"$output"; }
  assert_eq "$(seen /binary)" "$VIGIL"
  # systemd expands the slice's dashes into its parents.
  local cgroup
  cgroup=$(seen /cgroup)
  [[ "$cgroup" =~ ^/kubepods.slice/kubepods-burstable.slice/$slice/cri-containerd-[0-9a-f]{64}.scope$ ]] ||
    fail "the container's cgroup is $cgroup"
  # 64 MiB, 512 shares (cpu.weight 20, runc's conversion), half a CPU.
  assert_eq "$(seen /memory_limit) $(seen /cpu_weight) $(seen /cpu_max)" "67108864 20 50000 100000"
  assert_eq "$(seen /exec/exit) $(seen /main/exit) $(seen /sleeper/exit)" "3 7 137"
  assert_eq "$(seen /pods_left)" 0
  # The sandbox's and the containers' scopes are gone, and vigil's state with them.
  assert_eq "$(units 'cri-containerd-*')" ""
  assert_eq "$(state_left "$CRI_DIR/runc/k8s.io")" ""
}
