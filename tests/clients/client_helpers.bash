# Shared helpers of the client suites (podman, containerd): each drives vigil the way its
# users do, with state, storage and daemons of its own under the suite's temp dir, so a run
# leaves nothing on the host. The assertions come from the integration helpers.

load ../integration/helpers

PTY=$REPO/build/tests/pty_driver

# A local busybox image from the demo rootfs (no registry is reachable): podman imports a
# tarball of it; containerd takes an OCI archive podman saves. CMD is a shell.
# make_podman_env DIR [CGROUP-MANAGER]: sets PODMAN (the command with private root, runroot,
# containers.conf, and the cgroup manager: cgroupfs, or systemd where systemd is PID 1).
make_podman_env() {
  local dir=$1
  mkdir -p "$dir"
  # This host's hard limits are below podman's default ulimits (no CAP_SYS_RESOURCE); the
  # runtime is registered as contrib/ says, with the tree's build for the installed path.
  {
    printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n\n'
    sed "s|/usr/local/bin/vigil|$VIGIL|" "$REPO/contrib/podman/containers.conf"
  } >"$dir/containers.conf"
  export CONTAINERS_CONF=$dir/containers.conf
  # vfs: works on any backing filesystem (overlay on overlay does not); the image is 2 MB.
  PODMAN=(podman --root "$dir/storage" --runroot "$dir/run" --storage-driver vfs
    --cgroup-manager "${2:-cgroupfs}" --runtime vigil)
}

# import_busybox [NAME [CMD-JSON]]: the demo rootfs as image NAME (localhost/busybox, CMD a shell).
import_busybox() {
  tar -C "$ROOTFS" -c . | "${PODMAN[@]}" import --change "CMD ${2:-[\"/bin/sh\"]}" - "${1:-localhost/busybox}" >/dev/null ||
    fail "podman import of the demo rootfs failed"
}

# podman_clean DIR: everything podman made for the suite: its containers, its storage (vfs
# layers are plain directories, but podman's own mounts go first), its cgroup parent.
podman_clean() {
  local dir=$1
  "${PODMAN[@]}" rm -a -f -t 0 >/dev/null 2>&1 || true
  "${PODMAN[@]}" system reset -f >/dev/null 2>&1 || true
  grep -F " $dir/" /proc/self/mountinfo | awk '{print $5}' | sort -r | while read -r m; do umount -l "$m"; done
  rm -rf "$dir"
}

# state_left ROOT: the containers vigil still has under state root ROOT (its seccomp cache
# and the logs of containers that learned stay).
state_left() { ls -A "$1" 2>/dev/null | grep -vx -e ':seccomp-cache' -e ':learned' || true; }

# forget_learned ROOT ID: removes the learn log vigil kept of container ID under ROOT.
forget_learned() {
  rm -f "$1/:learned/$2.log"
  rmdir "$1/:learned" 2>/dev/null || true
}

# cgroup_leftovers PARENT: directories named PARENT under any cgroup hierarchy.
cgroup_dirs_named() {
  find /sys/fs/cgroup -mindepth 2 -maxdepth 2 -type d -name "$1" 2>/dev/null
}

# remove_cgroup_tree DIR...: innermost first (a cgroup directory is removed with rmdir).
remove_cgroup_trees() {
  local d
  for d in "$@"; do find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true; done
}

# ---- containerd --------------------------------------------------------------------

# start_containerd DIR [EXTRA-TOML]: a private containerd (root, state, sockets under DIR),
# ready when this returns. Sets CTR (the ctr command for it) and CONTAINERD_PID.
start_containerd() {
  local dir=$1
  mkdir -p "$dir"
  cat >"$dir/config.toml" <<EOF2
version = 2
root = "$dir/root"
state = "$dir/state"
[grpc]
  address = "$dir/containerd.sock"
[ttrpc]
  address = "$dir/containerd.sock.ttrpc"
${2:-}
EOF2
  containerd --config "$dir/config.toml" >"$dir/containerd.log" 2>&1 </dev/null 3>&- &
  CONTAINERD_PID=$!
  echo "$CONTAINERD_PID" >"$dir/containerd.pid"
  CTR=(ctr -a "$dir/containerd.sock" -n "$CTR_NS")
  wait_for "${CTR[@]}" version >/dev/null 2>&1 || fail "containerd did not start: $(tail -5 "$dir/containerd.log")"
}

# stop_containerd DIR: the daemon, the shims it started (they outlive it by design), and
# whatever they left mounted.
stop_containerd() {
  local dir=$1 pid
  pid=$(cat "$dir/containerd.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null && wait_for sh -c "! kill -0 $pid 2>/dev/null"
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $dir/containerd.sock"); do kill -9 "$pid" 2>/dev/null; done
  grep -F " $dir/" /proc/self/mountinfo | awk '{print $5}' | sort -r | while read -r m; do umount -l "$m"; done
  rm -rf "$dir"
}

# start_cri DIR [OPTION...]: a private containerd with its CRI plugin, the "vigil" handler as
# contrib/containerd/config.toml ships it (but for the paths, and each OPTION a line added to
# the handler's options), and the image localhost/pause. Pods use the host network (no CNI);
# sandboxes ask for an oom_score_adj this host cannot lower to (no CAP_SYS_RESOURCE), so it
# is clamped.
start_cri() {
  local dir=$1 options
  shift
  export CTR_NS=k8s.io CONTAINERD_SNAPSHOTTER=native
  mkdir -p "$dir/cni/bin" "$dir/cni/net.d"
  options=$(printf '\\n    %s' "Root = \"$dir/runc\"" "$@")
  start_containerd "$dir" "
[plugins.\"io.containerd.grpc.v1.cri\"]
  sandbox_image = \"localhost/pause:latest\"
  disable_apparmor = true
  restrict_oom_score_adj = true
  disable_tcp_service = true
  stream_server_address = \"127.0.0.1\"
  stream_server_port = \"0\"
  [plugins.\"io.containerd.grpc.v1.cri\".containerd]
    snapshotter = \"native\"
    default_runtime_name = \"vigil\"
  [plugins.\"io.containerd.grpc.v1.cri\".cni]
    bin_dir = \"$dir/cni/bin\"
    conf_dir = \"$dir/cni/net.d\"
[plugins.\"io.containerd.internal.v1.opt\"]
  path = \"$dir/opt\"
$(sed -e '/^version/d' -e "s|/usr/local/bin/vigil\"|$VIGIL\"$options|" "$REPO/contrib/containerd/config.toml")"
  import_into_containerd "$(dirname "$dir")" localhost/pause '["sleep","1000000"]'
}

# import_into_containerd DIR NAME [CMD-JSON]: the demo busybox as image NAME, as podman
# saves it, in containerd's namespace.
import_into_containerd() {
  local dir=$1 name=$2
  make_podman_env "$dir/podman"
  import_busybox "$name" "${3:-}"
  "${PODMAN[@]}" save --format oci-archive -o "$dir/image.tar" "$name" >/dev/null 2>&1 || fail "podman save failed"
  podman_clean "$dir/podman"
  "${CTR[@]}" images import --base-name "$name" "$dir/image.tar" >/dev/null || fail "ctr images import failed"
}

# host_profile NAME JSON: a profile in vigil's default profile directory (/etc/vigil/policies,
# where the clients' calls read it); remove_host_profile (in teardown) removes it, and the
# directories if they are left empty.
host_profile() {
  local dir=/etc/vigil/policies
  [ -d /etc/vigil ] || ETC_VIGIL_MADE=/etc/vigil
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir"
    PROFILE_DIR_MADE=$dir
  fi
  PROFILE_MADE=$dir/$1.json
  printf '%s\n' "$2" >"$PROFILE_MADE"
}

# host_baseline JSON: the host's baseline policy, /etc/vigil/policy.json, which the clients'
# calls read (remove_host_profile removes it). A host that has one of its own skips the test
# rather than lose it.
host_baseline() {
  [ ! -e /etc/vigil/policy.json ] || skip "this host has a baseline policy (/etc/vigil/policy.json) a test would replace"
  [ -d /etc/vigil ] || ETC_VIGIL_MADE=/etc/vigil
  mkdir -p /etc/vigil
  BASELINE_MADE=/etc/vigil/policy.json
  printf '%s\n' "$1" >"$BASELINE_MADE"
}

remove_host_profile() {
  [ -z "${PROFILE_MADE:-}" ] || rm -f "$PROFILE_MADE"
  [ -z "${BASELINE_MADE:-}" ] || rm -f "$BASELINE_MADE"
  [ -z "${PROFILE_DIR_MADE:-}" ] || rmdir "$PROFILE_DIR_MADE" 2>/dev/null || true
  [ -z "${ETC_VIGIL_MADE:-}" ] || rmdir "$ETC_VIGIL_MADE" 2>/dev/null || true
}

# An allow-list profile Landlock holds alone: files are read anywhere, written only in /dev
# and /tmp.
WRITE_TMP_ONLY='{"version": 1, "paths": {"default": "deny", "rules": [
  {"path": "/**", "access": ["read", "list", "exec", "ioctl", "chmod", "chown"], "action": "allow"},
  {"path": "/dev/**", "access": ["write"], "action": "allow"},
  {"path": "/tmp/**", "access": ["write", "create", "delete", "rename", "truncate"], "action": "allow"}]}}'
