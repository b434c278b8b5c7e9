#!/usr/bin/env bats
# Mount propagation: linux.rootfsPropagation with a rootfs that is a mount point of its own
# (containerd's overlay) and with a plain directory, bind mounts of each propagation (a
# Kubernetes Bidirectional mount is rshared), and a container without a mount namespace.
# Whatever the values, no mount of the container's reaches the host unless a shared mount
# asks for it.

load helpers

setup() {
  vigil_setup
  private_rootfs
  cfg set /process/args '["true"]'
}
teardown() { vigil_teardown; }

# rootfs_mount_point: the bundle's rootfs becomes a shared mount of its own, as containerd's
# overlay is on a host whose / is shared.
rootfs_mount_point() {
  host_mount --bind "$BUNDLE/rootfs" "$BUNDLE/rootfs"
  mount --make-shared "$BUNDLE/rootfs"
}

# root_propagation: what the container's / shows in its mountinfo ("shared:N", or "-").
root_propagation() {
  cmd 'awk '\''$5 == "/" { print ($7 == "-" ? "-" : $7) }'\'' /proc/self/mountinfo'
}

# add_caps CAP...: the container keeps these capabilities too.
add_caps() {
  local c set
  for c in "$@"; do
    for set in bounding effective permitted; do cfg append "/process/capabilities/$set" "\"$c\""; done
  done
}

@test "propagation: every rootfsPropagation value, with a rootfs that is a mount point and with a directory" {
  local kind value n=0 expected
  for kind in directory mountpoint; do
    [ "$kind" = mountpoint ] && rootfs_mount_point
    for value in "" private rprivate slave rslave shared rshared; do
      if [ -z "$value" ]; then "$JSONEDIT" "$BUNDLE/config.json" del /linux/rootfsPropagation 2>/dev/null || true
      else cfg set /linux/rootfsPropagation "\"$value\""; fi
      root_propagation
      n=$((n + 1))
      run_fg "$ID-$n"
      [ "$status" -eq 0 ] || fail "$kind, rootfsPropagation '$value': status $status: $stderr"
      # A shared root has a peer group of its own; slave of nothing is private.
      case $value in shared | rshared) expected='shared:*' ;; *) expected='-' ;; esac
      # shellcheck disable=SC2053
      [[ "$output" == $expected ]] || fail "$kind, rootfsPropagation '$value': / is '$output', expected $expected"
    done
  done
  # No mount of any of those containers is left on the host, once the test's own are gone.
  undo_host_mounts
  assert_clean
}

# bidirectional OPTION: a host directory, shared, mounted at /vol with OPTION; the container
# mounts a tmpfs at /vol/fromctr, then the host one at $T/vol/fromhost. Sets seen_in_ctr and
# seen_on_host to yes or no.
bidirectional() {
  mkdir -p "$T/vol/fromctr" "$T/vol/fromhost"
  host_mount --bind "$T/vol" "$T/vol"
  mount --make-shared "$T/vol"
  # Whatever the container's mount reached on the host is unmounted by teardown.
  printf '%s\n' "$T/vol/fromctr" >>"$T.host-mounts"
  rootfs_mount_point
  cfg set /linux/rootfsPropagation '"rshared"'
  cfg append /mounts "{\"destination\":\"/vol\",\"type\":\"bind\",\"source\":\"$T/vol\",\"options\":[\"rbind\",\"$1\"]}"
  add_caps CAP_SYS_ADMIN
  # The container goes on when the host writes to /vol/go.
  mkfifo "$T/vol/go"
  cmd 'exec 3<>/vol/go; mount -t tmpfs ctr /vol/fromctr && echo ready; read -r _ <&3
       for i in $(seq 40); do grep -q " /vol/fromhost " /proc/self/mountinfo && { echo seen; exit 0; }; sleep 0.05; done
       echo unseen'
  run_detached_ok "$ID"
  wait_ready "$ID"
  seen_on_host=no
  mountpoint -q "$T/vol/fromctr" && seen_on_host=yes
  host_mount -t tmpfs host "$T/vol/fromhost"
  echo go >"$T/vol/go"
  wait_status "$ID" stopped
  case "$(container_output "$ID")" in *$'\n'seen) seen_in_ctr=yes ;; *$'\n'unseen) seen_in_ctr=no ;;
    *) fail "the container printed: $(container_output "$ID") $(container_stderr "$ID")" ;; esac
  vigil delete "$ID"
}

@test "propagation: an rshared bind mount (Bidirectional) carries mounts both ways" {
  bidirectional rshared
  assert_eq "$seen_in_ctr/$seen_on_host" yes/yes
  undo_host_mounts
  assert_clean
}

@test "propagation: an rslave bind mount (HostToContainer) carries the host's mounts in only" {
  bidirectional rslave
  assert_eq "$seen_in_ctr/$seen_on_host" yes/no
  undo_host_mounts
  assert_clean
}

@test "propagation: an rprivate bind mount carries nothing" {
  bidirectional rprivate
  assert_eq "$seen_in_ctr/$seen_on_host" no/no
  undo_host_mounts
  assert_clean
}

@test "propagation: without a mount namespace the container runs chrooted in its rootfs, mounting nothing" {
  cfg set /linux/namespaces '[{"type":"pid"},{"type":"ipc"},{"type":"uts"}]'
  cfg set /mounts '[]'
  cfg del /linux/maskedPaths
  cfg del /linux/readonlyPaths
  cfg set /root/readonly false
  cmd 'ls /; pwd; [ -e /proc/self ] && echo proc || echo no-proc'
  local before
  before=$(md5sum </proc/self/mountinfo)
  run_fg "$ID"
  assert_status 0
  assert_eq "$output" $'bin\ndev\netc\nproc\nroot\nsys\ntmp\n/\nno-proc'
  assert_eq "$(md5sum </proc/self/mountinfo)" "$before"
  # What would need mounts is refused, each by name.
  cfg set /mounts '[{"destination":"/proc","type":"proc","source":"proc"}]'
  create "$ID-2"
  assert_status 1
  assert_contains "$output" "config.json: mounts needs a mount namespace of the container's own"
  cfg set /mounts '[]'
  cfg set /linux/maskedPaths '["/proc/kcore"]'
  create "$ID-3"
  assert_contains "$output" "config.json: linux.maskedPaths needs a mount namespace of the container's own"
  cfg del /linux/maskedPaths
  cfg set /root/readonly true
  create "$ID-4"
  assert_contains "$output" "config.json: root.readonly needs a mount namespace of the container's own"
  assert_clean
}
