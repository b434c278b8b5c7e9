#!/usr/bin/env bats
# The Kubernetes path: kubelet asks containerd's CRI plugin for pods with a RuntimeClass whose
# handler is "vigil"; containerd's config maps that handler to the runc v2 shim with
# BinaryName = vigil (contrib/containerd/config.toml, used here as shipped but for the path).
# tests/clients/cri/pod.py plays kubelet over the CRI socket of a private containerd.

load client_helpers

setup_file() {
  command -v containerd >/dev/null || skip "containerd is not installed (make deps installs it)"
  [ -f "$REPO/build/tests/cri/api_pb2.py" ] || skip "no CRI stubs: make build/tests/cri/api_pb2.py"
  start_cri "$BATS_FILE_TMPDIR/containerd"
}

teardown_file() {
  stop_containerd "$BATS_FILE_TMPDIR/containerd"
  # shellcheck disable=SC2046
  remove_cgroup_trees $(cgroup_dirs_named vigil-k8s-tests)
}

setup() {
  DIR=$BATS_FILE_TMPDIR/containerd
}

# The Bidirectional test's host mounts, whatever became of the test.
teardown() {
  remove_host_profile
  local m
  for m in "$BATS_TEST_TMPDIR/vol/fromctr" "$BATS_TEST_TMPDIR/vol"; do
    while mountpoint -q "$m"; do umount "$m" || umount -l "$m" || break; done
  done
}

# pod SCENARIO [pod.py flags]: tests/clients/cri/pod.py against the suite's containerd;
# output is its JSON.
pod() {
  run --separate-stderr timeout 120 /usr/bin/python3 "$REPO/tests/clients/cri/pod.py" --sock "$DIR/containerd.sock" \
    --stubs "$REPO/build/tests/cri" --handler vigil --image localhost/pause:latest --cgroup-parent /vigil-k8s-tests \
    --logs "$BATS_TEST_TMPDIR/pods" "${@:2}" "$1"
  [ "$status" -eq 0 ] || fail "pod.py $1 failed ($status): $stderr; containerd says: $(grep -i error "$DIR/containerd.log" | tail -3)"
}

no_shims() { ! pgrep -f "containerd-shim-runc-v2 .*-address $DIR/containerd.sock" >/dev/null; }

seen() { "$JSONEDIT" /dev/stdin get "$1" <<<"$output"; }

# Nothing of the pod is left: no vigil state under the handler's Root, no shim, no cgroup.
assert_pod_gone() {
  local left
  left=$(state_left "$DIR/runc/k8s.io")
  [ -z "$left" ] || fail "vigil state left: $left"
  # A shim exits on its own a moment after its last task is deleted.
  wait_for no_shims
  left=$(find /sys/fs/cgroup/*/vigil-k8s-tests -mindepth 1 -type d 2>/dev/null || true)
  [ -z "$left" ] || fail "cgroups left: $left"
}

@test "kubernetes: a pod of RuntimeClass vigil runs, is exec'd into and stopped through the CRI" {
  pod lifecycle
  assert_eq "$(seen /binary)" "$VIGIL"
  # What the pod spec asked for, as vigil applied it.
  assert_eq "$(seen /memory_limit)" 67108864
  assert_eq "$(seen /cpu_shares)" 512
  assert_eq "$(seen /cpu_quota)" 50000
  assert_eq "$(seen /oom_score_adj)" 100
  assert_eq "$(seen /seccomp)" 2
  assert_eq "$(seen /host_network)" true
  assert_eq "$(seen /filters)" 1
  assert_eq "$(seen /own_pid_ns)" true
  # ExecSync (vigil exec): exit code, both streams, the masked and read-only paths.
  assert_eq "$(seen /exec/exit)" 3
  assert_eq "$(seen /exec/stdout)" $'out\n0\nro'
  assert_eq "$(seen /exec/stderr)" err
  assert_eq "$(seen /write_etc/stdout)" written
  # StopContainer: SIGTERM, trapped; SIGKILL after the grace period when ignored.
  assert_eq "$(seen /main/exit)" 7
  assert_eq "$(seen /sleeper/exit)" 137
  assert_contains "$(seen /main_log)" "stdout F hello FOO=bar"
  assert_eq "$(seen /pods_left)" 0
  assert_pod_gone
}

@test "kubernetes: a pod annotated run.vigil.supervise=true runs supervised, memory.max limiting it" {
  pod lifecycle --pod-annotation run.vigil.supervise=true --pod-annotation run.vigil.memory.max=64M
  assert_eq "$(seen /filters)" 2
  assert_eq "$(seen /data_limit)" 67108864
  assert_eq "$(seen /exec/exit)" 3
  assert_eq "$(seen /main/exit)" 7
  assert_eq "$(seen /pods_left)" 0
  assert_pod_gone
}

@test "kubernetes: a pod annotated run.vigil.policy runs under that profile's paths rules" {
  host_profile "vigil-test-$$" "$WRITE_TMP_ONLY"
  pod lifecycle --pod-annotation "run.vigil.policy=vigil-test-$$"
  assert_eq "$(seen /write_etc/stdout)" "refused"
  assert_eq "$(seen /exec/exit)" 3
  assert_eq "$(seen /main/exit)" 7
  assert_eq "$(seen /pods_left)" 0
  assert_pod_gone
}

@test "kubernetes: a privileged pod with a Bidirectional volume mounts through it onto the host" {
  # The kubelet wants the volume's host directory on a shared mount; the rootfs is a mount
  # of its own (the snapshot), and containerd asks for rootfsPropagation rshared.
  local vol=$BATS_TEST_TMPDIR/vol
  mkdir -p "$vol/fromctr"
  mount --bind "$vol" "$vol"
  mount --make-shared "$vol"
  pod bidirectional --volume "$vol"
  assert_eq "$(seen /host_sees_container_mount)" true
  assert_eq "$(seen /storage/exit)" 137
  assert_eq "$(seen /pods_left)" 0
  assert_pod_gone
}

@test "kubernetes: a container created and removed without starting leaves nothing" {
  pod created
  assert_eq "$(seen /created)" CONTAINER_CREATED
  assert_eq "$(seen /containers_left)" 0
  assert_eq "$(seen /pods_left)" 0
  assert_pod_gone
}

@test "kubernetes: the contrib RuntimeClass names the contrib handler, and the example pod uses it" {
  local handler
  handler=$(sed -n 's/^\[plugins\."io\.containerd\.grpc\.v1\.cri"\.containerd\.runtimes\.\([a-z0-9-]*\)\]$/\1/p' \
    "$REPO/contrib/containerd/config.toml")
  assert_eq "$handler" vigil
  grep -qx "handler: $handler" "$REPO/contrib/kubernetes/runtimeclass.yaml" || fail "runtimeclass.yaml: no handler: $handler"
  grep -qx "  name: $handler" "$REPO/contrib/kubernetes/runtimeclass.yaml" || fail "runtimeclass.yaml: not named $handler"
  grep -qx "  runtimeClassName: $handler" "$REPO/contrib/kubernetes/pod.yaml" || fail "pod.yaml does not use it"
}

@test "kubernetes: a pod annotated run.vigil.learn=true learns; the policy suggested from it runs the pod as a profile" {
  host_baseline '{"version": 1, "allow_learn": true}'
  local work='echo hello; head -1 /etc/passwd; ls /etc >/dev/null && echo listed'
  pod run --pod-annotation run.vigil.learn=true --command "$work" --vigil "$VIGIL" --vigil-root "$DIR/runc/k8s.io"
  assert_eq "$(seen /work/exit)" 0
  local learnt
  learnt=$(jq -c .work.output <<<"$output")
  assert_eq "$learnt" '["hello","root:x:0:0:root:/root:/bin/sh","listed"]'
  [ "$(seen /learned)" -gt 0 ] || fail "nothing was learnt: $output"
  host_profile "vigil-test-$$" "$(jq .suggested <<<"$output")"
  pod run --pod-annotation "run.vigil.policy=vigil-test-$$" \
    --command "$work; cp /bin/busybox /tmp/bb; /tmp/bb true 2>/dev/null || echo refused"
  assert_eq "$(seen /work/exit)" 0
  # Only the program that was not learnt is refused.
  assert_eq "$(jq -c .work.output <<<"$output")" '["hello","root:x:0:0:root:/root:/bin/sh","listed","refused"]'
  assert_eq "$(seen /pods_left)" 0
  assert_pod_gone
}
