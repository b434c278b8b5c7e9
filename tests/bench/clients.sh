#!/bin/bash
# End to end through the clients: `podman run --rm` and `ctr run --rm` of /bin/true with
# vigil, runc and crun as the runtime, interleaved, each client with private storage (and a
# private containerd). Prints medians and ratios.
set -eu
N=${BENCH_CLIENT_N:-20}
top=$(pwd)
work=$(mktemp -d /tmp/vigil-bench-clients.XXXXXX)
. tests/bench/lib.sh

runtimes=(vigil)
command -v runc >/dev/null && runtimes+=(runc)
command -v crun >/dev/null && runtimes+=(crun)
declare -A path=([vigil]=$top/build/vigil [runc]=$(command -v runc || true) [crun]=$(command -v crun || true))

# podman: this host's limits, and the three runtimes registered by name.
{
  printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n[engine.runtimes]\n'
  for rt in "${runtimes[@]}"; do printf '%s = ["%s"]\n' "$rt" "${path[$rt]}"; done
} >"$work/containers.conf"
export CONTAINERS_CONF=$work/containers.conf
podman=(podman --root "$work/storage" --runroot "$work/run" --storage-driver vfs --cgroup-manager cgroupfs)

# containerd, private, without the CRI plugin.
ns=bench
cat >"$work/containerd.toml" <<EOT
version = 2
root = "$work/containerd-root"
state = "$work/containerd-state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$work/containerd.sock"
[ttrpc]
  address = "$work/containerd.sock.ttrpc"
EOT
containerd --config "$work/containerd.toml" >"$work/containerd.log" 2>&1 </dev/null &
containerd_pid=$!
export CONTAINERD_SNAPSHOTTER=native
ctr=(ctr -a "$work/containerd.sock" -n "$ns")

cleanup() {
  "${podman[@]}" rm -a -f -t 0 >/dev/null 2>&1 || true
  "${podman[@]}" system reset -f >/dev/null 2>&1 || true
  kill "$containerd_pid" 2>/dev/null && wait "$containerd_pid" 2>/dev/null
  pkill -9 -f "containerd-shim-runc-v2 .*-address $work/containerd.sock" || true
  grep -F " $work/" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r umount -l
  rm -rf "$work" "/run/containerd/runc/$ns"
  remove_cgroups
}

# The benchmark's cgroups, in every hierarchy. conmon may still be leaving its own when podman
# returns, so they are removed once empty, within a bound, and named if they stay.
remove_cgroups() {
  local deadline=$((SECONDS + 10)) dirs d
  while :; do
    dirs=$(find /sys/fs/cgroup -mindepth 2 -maxdepth 2 -type d \( -name vigil-bench -o -name "$ns" \) 2>/dev/null || true)
    [ -n "$dirs" ] || return 0
    for d in $dirs; do
      # Where this namespace unmounted the cgroup2 mount (run.sh), podman and containerd made
      # plain directories on /sys/fs/cgroup's tmpfs: removed as such.
      if [ "$(stat -f -c %T "$d")" = tmpfs ]; then rm -rf "$d"; continue; fi
      find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
    done
    [ "$SECONDS" -lt "$deadline" ] || { echo "cgroups left behind: $dirs" >&2; return 1; }
  done
}
trap cleanup EXIT

tar -C build/demo/rootfs -c . | "${podman[@]}" import - localhost/busybox >/dev/null 2>&1
"${podman[@]}" save --format oci-archive -o "$work/busybox.tar" localhost/busybox >/dev/null 2>&1
for i in $(seq 100); do "${ctr[@]}" version >/dev/null 2>&1 && break; sleep 0.05; done
"${ctr[@]}" images import --base-name localhost/busybox "$work/busybox.tar" >/dev/null

podman_run() { timed "$1" "${podman[@]}" run --rm --network none --cgroup-parent /vigil-bench --runtime "$1" localhost/busybox true; }
ctr_run() { timed "$1" "${ctr[@]}" run --rm --runtime io.containerd.runc.v2 --runc-binary "${path[$1]}" localhost/busybox:latest "$2" true; }

for rt in "${runtimes[@]}"; do podman_run "$rt"; times[$rt]=""; done
for i in $(seq "$N"); do for rt in "${runtimes[@]}"; do podman_run "$rt"; done; done
report "podman run --rm busybox true: $N runs each (median wall time)" "${runtimes[@]}"

for rt in "${runtimes[@]}"; do ctr_run "$rt" "warm-$rt"; times[$rt]=""; done
for i in $(seq "$N"); do for rt in "${runtimes[@]}"; do ctr_run "$rt" "b$i-$rt"; done; done
report "ctr run --rm busybox true: $N runs each (median wall time)" "${runtimes[@]}"
