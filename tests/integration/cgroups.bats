#!/usr/bin/env bats
# cgroups, on this hybrid host (v1 controllers, hugetlb alone on the unified hierarchy) and on
# a host of cgroup v2 alone (the guest, tests/guest: there with the cgroupfs driver and, with
# VIGIL_CGROUP_DRIVER=systemd, with the systemd driver). Each resource is read back from the
# cgroup files outside and inside the container.

load helpers

setup() {
  vigil_setup
  cfg append /mounts '{"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev"]}'
}
teardown() {
  vigil_teardown
  for d in "${PRE_CGROUPS[@]:-}"; do [ -n "$d" ] && rmdir "$d" 2>/dev/null; done
  return 0
}

V2=
[ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ] || V2=1
SYSTEMD=
[ "${VIGIL_CGROUP_DRIVER:-}" != systemd ] || SYSTEMD=1

# cg_dir ID [CONTROLLER]: the container's cgroup: its directory in CONTROLLER's hierarchy on
# v1; on v2 its one directory, /vigil/ID, or with the systemd driver its scope in system.slice.
cg_dir() {
  if [ -z "$V2" ]; then
    echo "/sys/fs/cgroup/$2/vigil/$1"
  elif [ -n "$SYSTEMD" ]; then
    echo "/sys/fs/cgroup/system.slice/vigil-$1.scope"
  else
    echo "/sys/fs/cgroup/vigil/$1"
  fi
}

# cg_read ID CONTROLLER V1-FILE V2-FILE: the file of the container's cgroup that holds a resource.
cg_read() {
  if [ -z "$V2" ]; then cat "$(cg_dir "$1" "$2")/$3"; else cat "$(cg_dir "$1")/$4"; fi
}

# What is left of container ID: its cgroup dirs in any hierarchy, and its scope unit.
cgroup_leftovers() {
  ls -d /sys/fs/cgroup/*/vigil/"$1" "$(cg_dir "$1")" 2>/dev/null || true
  if [ -n "$SYSTEMD" ] && [ "$(systemctl show -p LoadState --value "vigil-$1.scope")" != not-found ]; then
    echo "unit vigil-$1.scope"
  fi
}

# A block device of this host, as MAJOR:MINOR.
block_device() {
  local d
  for d in /sys/block/*; do
    case ${d##*/} in loop* | ram* | zram*) continue ;; esac
    cat "$d/dev" && return
  done
}

sleeper() { cmd 'echo ready; while :; do sleep 1; done'; }

@test "cgroups: the container gets /vigil/<id> (in every v1 hierarchy) or its scope, sees it as / (cgroup namespace), and delete removes it" {
  sleeper
  run_detached_ok "$ID"
  wait_ready "$ID"
  local pid h hierarchies=v2
  pid=$(init_pid "$ID")
  [ -n "$V2" ] || hierarchies="cpu cpuacct cpuset memory devices freezer blkio pids systemd unified"
  for h in $hierarchies; do
    [ -d "$(cg_dir "$ID" $h)" ] || fail "no cgroup in $h"
    grep -qx "$pid" "$(cg_dir "$ID" $h)/cgroup.procs" || fail "init not in the $h cgroup"
  done
  [ -z "$SYSTEMD" ] || assert_eq "$(systemctl is-active "vigil-$ID.scope")" active
  run --separate-stderr vigil ps --format json "$ID"
  assert_status 0
  assert_contains "$output" "$pid"
  vigil delete --force "$ID"
  assert_eq "$(cgroup_leftovers "$ID")" ""
  assert_clean
}

@test "cgroups: delete --force of a stopped container whose cgroups someone removed leaves nothing" {
  sleeper
  run_detached_ok "$ID"
  wait_ready "$ID"
  local pid d
  pid=$(init_pid "$ID")
  kill -9 "$pid"
  wait_status "$ID" stopped
  for d in $(cgroup_leftovers "$ID"); do rmdir "$d"; done
  vigil delete --force "$ID" || fail "delete --force failed"
  [ ! -e "$STATE/$ID" ] || fail "state left: $(ls "$STATE/$ID")"
  assert_clean
}

@test "cgroups: inside, /proc/self/cgroup is / everywhere and /sys/fs/cgroup shows the container's own limits" {
  if [ -z "$V2" ]; then
    cfg set /linux/resources '{"memory":{"limit":67108864,"swappiness":20},"pids":{"limit":42},
      "cpu":{"shares":300,"quota":30000,"period":100000,"cpus":"0"}}'
    cmd 'cut -d: -f3 /proc/self/cgroup | sort -u; cd /sys/fs/cgroup; cat memory/memory.limit_in_bytes memory/memory.swappiness \
      pids/pids.max cpu/cpu.shares cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpuset/cpuset.cpus'
    run_fg "$ID"
    assert_status 0
    assert_eq "$output" $'/\n67108864\n20\n42\n300\n30000\n100000\n0'
  else
    # v2: cpu.weight is runc's conversion of the shares, 1 + (shares - 2) * 9999 / 262142.
    cfg set /linux/resources '{"memory":{"limit":67108864},"pids":{"limit":42},
      "cpu":{"shares":300,"quota":30000,"period":100000,"cpus":"0"}}'
    cmd 'cut -d: -f3 /proc/self/cgroup | sort -u; cd /sys/fs/cgroup; cat memory.max pids.max cpu.weight cpu.max cpuset.cpus'
    run_fg "$ID"
    assert_status 0
    assert_eq "$output" $'/\n67108864\n42\n12\n30000 100000\n0'
  fi
  assert_eq "$(cgroup_leftovers "$ID")" ""
  assert_clean
}

@test "cgroups: memory, cpu, cpuset and pids resources are written as asked; on v2, a v1 knob it lacks is refused" {
  [ -z "$V2" ] || { resources_v2; return; }
  cfg set /linux/resources '{"memory":{"limit":67108864,"reservation":33554432,"swap":134217728,"swappiness":10,
    "disableOOMKiller":true},"cpu":{"shares":512,"quota":50000,"period":100000,"cpus":"0","mems":"0","burst":1000,
    "idle":0},"pids":{"limit":64}}'
  sleeper
  run_detached_ok "$ID"
  wait_ready "$ID"
  local m c
  m=$(cg_dir "$ID" memory) c=$(cg_dir "$ID" cpu)
  assert_eq "$(cat $m/memory.limit_in_bytes)" 67108864
  assert_eq "$(cat $m/memory.soft_limit_in_bytes)" 33554432
  assert_eq "$(cat $m/memory.memsw.limit_in_bytes)" 134217728
  assert_eq "$(cat $m/memory.swappiness)" 10
  assert_contains "$(cat $m/memory.oom_control)" "oom_kill_disable 1"
  assert_eq "$(cat $c/cpu.shares)" 512
  assert_eq "$(cat $c/cpu.cfs_quota_us)" 50000
  assert_eq "$(cat $c/cpu.cfs_period_us)" 100000
  assert_eq "$(cat $c/cpu.cfs_burst_us)" 1000
  assert_eq "$(cat "$(cg_dir "$ID" cpuset)/cpuset.cpus")" 0
  assert_eq "$(cat "$(cg_dir "$ID" cpuset)/cpuset.mems")" 0
  assert_eq "$(cat "$(cg_dir "$ID" pids)/pids.max")" 64
  vigil delete --force "$ID"
  assert_eq "$(cgroup_leftovers "$ID")" ""
  assert_clean
}

# The test above, on v2.
resources_v2() {
  cfg set /linux/resources '{"memory":{"limit":67108864,"reservation":33554432,"swap":134217728},
    "cpu":{"shares":512,"quota":50000,"period":100000,"cpus":"0","mems":"0","burst":1000,"idle":0},"pids":{"limit":64}}'
  sleeper
  run_detached_ok "$ID"
  wait_ready "$ID"
  local d
  d=$(cg_dir "$ID")
  assert_eq "$(cat $d/memory.max) $(cat $d/memory.low)" "67108864 33554432"
  # OCI's swap is memory plus swap; v2's swap.max is the swap alone.
  assert_eq "$(cat $d/memory.swap.max)" 67108864
  assert_eq "$(cat $d/cpu.weight)" 20
  assert_eq "$(cat $d/cpu.max)" "50000 100000"
  assert_eq "$(cat $d/cpu.max.burst) $(cat $d/cpu.idle)" "1000 0"
  assert_eq "$(cat $d/cpuset.cpus) $(cat $d/cpuset.mems)" "0 0"
  assert_eq "$(cat $d/pids.max)" 64
  vigil delete --force "$ID"
  assert_eq "$(cgroup_leftovers "$ID")" ""
  # v1 knobs with no v2 file: refused, as runc refuses them, naming the file.
  cfg set /linux/resources '{"memory":{"swappiness":10}}'
  create "$ID-2"
  assert_status 1
  assert_contains "$output" "cgroup v2 has no equivalent of memory.swappiness in the memory controller"
  assert_eq "$(cgroup_leftovers "$ID-2")" ""
  assert_clean
}

@test "cgroups: a pids limit is enforced inside" {
  cfg set /linux/resources '{"pids":{"limit":5}}'
  # A shell that cannot fork gives up with status 2; the sleeps die with the pid namespace.
  cmd '(for i in 1 2 3 4 5 6 7 8; do sleep 30 & done) 2>/tmp/err; echo "status $?"; cat /tmp/err'
  run_fg "$ID"
  assert_status 0
  assert_eq "${lines[0]}" "status 2"
  assert_contains "$output" "can't fork"
  assert_clean
}

@test "cgroups: block I/O throttling is written per device" {
  local dev
  dev=$(block_device)
  [ -n "$dev" ] || skip "this host has no block device (only loop and ram disks in /sys/block)"
  local major=${dev%%:*} minor=${dev##*:}
  cfg set /linux/resources "{\"blockIO\":{\"throttleReadBpsDevice\":[{\"major\":$major,\"minor\":$minor,\"rate\":1048576}],
    \"throttleWriteIOPSDevice\":[{\"major\":$major,\"minor\":$minor,\"rate\":100}]}}"
  sleeper
  run_detached_ok "$ID"
  wait_ready "$ID"
  if [ -z "$V2" ]; then
    assert_eq "$(cat "$(cg_dir "$ID" blkio)/blkio.throttle.read_bps_device")" "$major:$minor 1048576"
    assert_eq "$(cat "$(cg_dir "$ID" blkio)/blkio.throttle.write_iops_device")" "$major:$minor 100"
  else
    assert_eq "$(cat "$(cg_dir "$ID")/io.max")" "$major:$minor rbps=1048576 wbps=max riops=max wiops=100"
  fi
  vigil delete --force "$ID"
  assert_clean
}

@test "cgroups: a resource the host lacks fails create, naming the controller and the file, and leaves nothing; unified resources on v2 are written" {
  cfg set /linux/resources '{"network":{"classID":1048577}}'
  create "$ID"
  assert_status 1
  assert_contains "$output" "the net_cls controller is not available on this host (needed for net_cls.classid)"
  assert_eq "$(cgroup_leftovers "$ID")" ""
  if [ -z "$V2" ]; then
    cfg set /linux/resources '{"unified":{"memory.high":"1000000"}}'
    create "$ID"
    assert_status 1
    assert_contains "$output" "unified.memory.high: the memory controller is not on a cgroup v2 hierarchy here"
    assert_eq "$(cgroup_leftovers "$ID")" ""
    # No CFQ/BFQ weight file on this host's blkio controller.
    if [ ! -e /sys/fs/cgroup/blkio/blkio.weight ]; then
      cfg set /linux/resources '{"blockIO":{"weight":500}}'
      create "$ID"
      assert_status 1
      assert_contains "$output" "the host's blkio controller has no blkio.weight"
      assert_eq "$(cgroup_leftovers "$ID")" ""
    fi
  else
    cfg set /linux/resources '{"unified":{"memory.nonesuch":"1"}}'
    create "$ID"
    assert_status 1
    assert_contains "$output" "memory.nonesuch"
    assert_eq "$(cgroup_leftovers "$ID")" ""
    # What v2 has is written as it is.
    cfg set /linux/resources '{"unified":{"memory.high":"33554432","pids.max":"33"}}'
    create "$ID"
    assert_status 0
    assert_eq "$(cat "$(cg_dir "$ID")/memory.high") $(cat "$(cg_dir "$ID")/pids.max")" "33554432 33"
    vigil delete --force "$ID"
    assert_eq "$(cgroup_leftovers "$ID")" ""
  fi
  assert_clean
}

@test "cgroups: hugetlb on v2 alone is written; on this hybrid host's unified hierarchy, which does not delegate it, refused with the file to change" {
  if [ -n "$V2" ]; then
    [ -d /sys/kernel/mm/hugepages/hugepages-2048kB ] || skip "no 2 MB huge pages on this host"
    cfg set /linux/resources '{"hugepageLimits":[{"pageSize":"2MB","limit":4194304}]}'
    create "$ID"
    assert_status 0
    assert_eq "$(cat "$(cg_dir "$ID")/hugetlb.2MB.max")" 4194304
    vigil delete --force "$ID"
    assert_eq "$(cgroup_leftovers "$ID")" ""
    assert_clean
    return
  fi
  grep -qw hugetlb /sys/fs/cgroup/unified/cgroup.subtree_control && skip "hugetlb is delegated on this host"
  cfg set /linux/resources '{"hugepageLimits":[{"pageSize":"2MB","limit":4194304}]}'
  create "$ID"
  assert_status 1
  assert_contains "$output" "the hugetlb controller is not delegated by /sys/fs/cgroup/unified/cgroup.subtree_control"
  assert_eq "$(cgroup_leftovers "$ID")" ""
  assert_clean
}

@test "cgroups: kernel memory limits are only a warning where the kernel dropped them" {
  cfg set /linux/resources '{"memory":{"kernel":67108864,"kernelTCP":67108864}}'
  run_fg "$ID"
  assert_status 0
  assert_clean
}

@test "cgroups: device rules apply in order, and the runtime's own devices stay usable" {
  cfg set /linux/resources '{"devices":[{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":1,"minor":8,"access":"r"}]}'
  cfg append /process/capabilities/bounding '"CAP_MKNOD"'
  cfg append /process/capabilities/effective '"CAP_MKNOD"'
  cfg append /process/capabilities/permitted '"CAP_MKNOD"'
  cmd 'echo x >/dev/null && echo null-ok; head -c1 /dev/random >/dev/null && echo random-read; mknod /tmp/sda b 8 0 && echo mknod-ok; cat /tmp/sda 2>/dev/null || echo blk-denied'
  run_fg "$ID"
  assert_status 0
  assert_eq "$output" $'null-ok\nrandom-read\nmknod-ok\nblk-denied'
  assert_clean
}

@test "cgroups: a custom cgroupsPath (absolute; the systemd driver's slice:prefix:name) is created and removed; a pre-existing one is joined and kept" {
  [ -z "$SYSTEMD" ] || { custom_path_systemd; return; }
  local base=vigil-bats-$$-$BATS_SUITE_TEST_NUMBER pids=/sys/fs/cgroup/pids memory=/sys/fs/cgroup/memory
  [ -z "$V2" ] || pids=/sys/fs/cgroup memory=
  cfg set /linux/cgroupsPath "\"/$base/c\""
  sleeper
  run_detached_ok "$ID"
  wait_ready "$ID"
  grep -qx "$(init_pid "$ID")" "$pids/$base/c/cgroup.procs" || fail "not in /$base/c"
  vigil delete --force "$ID"
  [ ! -e "$pids/$base" ] || fail "/$base was left"
  # Pre-existing (on v1 in the pids hierarchy only): joined, and left there afterwards.
  mkdir "$pids/$base-pre"
  PRE_CGROUPS=("$pids/$base-pre")
  cfg set /linux/cgroupsPath "\"/$base-pre\""
  run_detached_ok "$ID-2"
  wait_ready "$ID-2"
  grep -qx "$(init_pid "$ID-2")" "$pids/$base-pre/cgroup.procs" || fail "not joined"
  vigil delete --force "$ID-2"
  [ -d "$pids/$base-pre" ] || fail "a cgroup vigil did not create was removed"
  [ -z "$memory" ] || [ ! -e "$memory/$base-pre" ] || fail "the memory cgroup vigil created was left"
  assert_clean
}

# The test above, with the systemd driver: the slice and scope the cgroupsPath names, and only that form.
custom_path_systemd() {
  # A slice name without dashes: each dash would be one more level of slices.
  local slice=vigilbats$$n$BATS_SUITE_TEST_NUMBER.slice
  cfg set /linux/cgroupsPath "\"$slice:bats:\""
  sleeper
  run_detached_ok "$ID"
  wait_ready "$ID"
  grep -qx "$(init_pid "$ID")" "/sys/fs/cgroup/$slice/bats-$ID.scope/cgroup.procs" || fail "not in $slice/bats-$ID.scope"
  assert_eq "$(systemctl show -p Slice --value "bats-$ID.scope")" "$slice"
  vigil delete --force "$ID"
  assert_eq "$(systemctl show -p LoadState --value "bats-$ID.scope")" not-found
  systemctl stop "$slice"
  cfg set /linux/cgroupsPath '"/vigil/c"'
  create "$ID-2"
  assert_status 1
  assert_contains "$output" "cgroupsPath /vigil/c: with --systemd-cgroup it must be slice:prefix:name"
  assert_clean
}

@test "cgroups: a systemd-style cgroupsPath needs --systemd-cgroup, and the systemd driver a host of cgroup v2 alone" {
  DRIVER_FLAGS=()
  cfg set /linux/cgroupsPath '"system.slice:vigil:c1"'
  create "$ID"
  assert_status 1
  assert_contains "$output" "cgroupsPath system.slice:vigil:c1 is in systemd's slice:prefix:name form: it needs --systemd-cgroup"
  # The driver itself runs in the guest suite (tests/guest): this host is hybrid.
  if [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ]; then
    leave_running "$ID" --systemd-cgroup create --bundle "$BUNDLE"
    assert_status 1
    assert_contains "$output" "--systemd-cgroup: vigil's systemd driver needs a host with cgroup v2 alone"
  fi
  assert_clean
}

@test "cgroups: update changes each resource of a running container" {
  sleeper
  run_detached_ok "$ID"
  wait_ready "$ID"
  run --separate-stderr vigil update --memory 64m --memory-reservation 32m --memory-swap 128m --cpu-shares 256 \
    --cpu-quota 20000 --cpu-period 100000 --cpuset-cpus 0 --cpuset-mems 0 --pids-limit 20 "$ID"
  assert_status 0
  assert_eq "$(cg_read "$ID" memory memory.limit_in_bytes memory.max)" 67108864
  assert_eq "$(cg_read "$ID" memory memory.soft_limit_in_bytes memory.low)" 33554432
  if [ -z "$V2" ]; then
    assert_eq "$(cat "$(cg_dir "$ID" memory)/memory.memsw.limit_in_bytes")" 134217728
    assert_eq "$(cat "$(cg_dir "$ID" cpu)/cpu.shares")" 256
    assert_eq "$(cat "$(cg_dir "$ID" cpu)/cpu.cfs_quota_us")" 20000
    assert_eq "$(cat "$(cg_dir "$ID" cpu)/cpu.cfs_period_us")" 100000
  else
    assert_eq "$(cat "$(cg_dir "$ID")/memory.swap.max")" 67108864
    assert_eq "$(cat "$(cg_dir "$ID")/cpu.weight")" 10
    assert_eq "$(cat "$(cg_dir "$ID")/cpu.max")" "20000 100000"
  fi
  assert_eq "$(cg_read "$ID" cpuset cpuset.mems cpuset.mems)" 0
  assert_eq "$(cg_read "$ID" cpuset cpuset.cpus cpuset.cpus)" 0
  assert_eq "$(cg_read "$ID" pids pids.max pids.max)" 20
  # Lowering memory below the current memory+swap needs the other order: vigil finds it.
  run --separate-stderr vigil update --memory 16m --memory-swap 32m "$ID"
  assert_status 0
  assert_eq "$(cg_read "$ID" memory memory.memsw.limit_in_bytes memory.swap.max)" "$([ -z "$V2" ] && echo 33554432 || echo 16777216)"
  # The LinuxResources JSON containerd and podman send, on stdin.
  run --separate-stderr bash -c "echo '{\"pids\":{\"limit\":30},\"cpu\":{\"shares\":128}}' | timeout 10 $VIGIL --root $STATE ${DRIVER_FLAGS[*]} update --resources - $ID"
  assert_status 0
  assert_eq "$(cg_read "$ID" pids pids.max pids.max)" 30
  assert_eq "$(cg_read "$ID" cpu cpu.shares cpu.weight)" "$([ -z "$V2" ] && echo 128 || echo 5)"
  # This host has no blkio.weight: refused, naming the file, and nothing else changes.
  if [ -z "$V2" ] && [ ! -e /sys/fs/cgroup/blkio/blkio.weight ]; then
    run --separate-stderr vigil update --blkio-weight 500 "$ID"
    assert_status 1
    assert_contains "$stderr" "has no blkio.weight"
  fi
  run --separate-stderr vigil update --memory lots "$ID"
  assert_status 1
  assert_contains "$stderr" 'invalid size "lots"'
  vigil delete --force "$ID"
  run --separate-stderr vigil update --pids-limit 5 "$ID"
  assert_status 1
  assert_contains "$stderr" "does not exist"
  assert_clean
}

@test "cgroups: pause freezes a counting process and resume lets it go on" {
  cmd 'echo ready; i=0; while :; do i=$((i+1)); echo $i >/tmp/count; done'
  run_detached_ok "$ID"
  wait_ready "$ID"
  run --separate-stderr vigil pause "$ID"
  assert_status 0
  assert_eq "$(state_of "$ID" status)" paused
  assert_eq "$(cg_read "$ID" freezer freezer.state cgroup.freeze)" "$([ -z "$V2" ] && echo FROZEN || echo 1)"
  local pid a b
  pid=$(init_pid "$ID")
  a=$(cat /proc/$pid/root/tmp/count)
  # Frozen tasks do not run: their stat says so (D or S, never R), and the counter stays.
  b=$(cat /proc/$pid/root/tmp/count)
  assert_eq "$a" "$b"
  run --separate-stderr vigil pause "$ID"
  assert_status 1
  assert_contains "$stderr" "it is paused, not running"
  run --separate-stderr vigil resume "$ID"
  assert_status 0
  assert_eq "$(state_of "$ID" status)" running
  count_moved() { [ "$(cat /proc/$pid/root/tmp/count)" != "$b" ]; }
  wait_for count_moved
  run --separate-stderr vigil resume "$ID"
  assert_status 1
  # delete --force of a paused container works too.
  vigil pause "$ID"
  vigil delete --force "$ID"
  assert_eq "$(cgroup_leftovers "$ID")" ""
  assert_clean
}

@test "cgroups: kill --all reaches every process, with no pid namespace too" {
  cfg del /linux/namespaces/0
  cmd 'sleep 300 & sleep 301 & echo ready; wait'
  run_detached_ok "$ID"
  wait_ready "$ID"
  run --separate-stderr vigil ps --format json "$ID"
  local n
  n=$(tr ',' '\n' <<<"$output" | grep -c '[0-9]')
  [ "$n" -ge 3 ] || fail "expected 3 processes, ps says $output"
  run --separate-stderr vigil kill --all "$ID" KILL
  assert_status 0
  no_procs() { [ -z "$(cat "$(cg_dir "$ID" pids)/cgroup.procs" 2>/dev/null)" ]; }
  wait_for no_procs
  wait_status "$ID" stopped
  vigil delete "$ID"
  assert_eq "$(cgroup_leftovers "$ID")" ""
  assert_clean
}

@test "cgroups: events --stats prints one object in runc's shape" {
  cfg set /linux/resources '{"memory":{"limit":67108864},"pids":{"limit":50}}'
  sleeper
  run_detached_ok "$ID"
  wait_ready "$ID"
  run --separate-stderr vigil events --stats "$ID"
  assert_status 0
  assert_one_line "$output"
  assert_eq "$(json_get /type <<<"$output")" stats
  assert_eq "$(json_get /id <<<"$output")" "$ID"
  assert_eq "$(json_get /data/memory/usage/limit <<<"$output")" 67108864
  assert_eq "$(json_get /data/pids/limit <<<"$output")" 50
  [ "$(json_get /data/pids/current <<<"$output")" -ge 1 ] || fail "no pids counted"
  [ "$(json_get /data/cpu/usage/total <<<"$output")" -gt 0 ] || fail "no cpu time"
  json_get /data/memory/usage/failcnt <<<"$output" >/dev/null
  vigil delete --force "$ID"
  assert_clean
}

@test "cgroups: an OOM kill is reported as an oom event, then the exit" {
  cfg set /linux/resources '{"memory":{"limit":16777216,"swap":16777216}}'
  mkfifo "$T/go"
  cfg append /mounts "{\"destination\":\"/tmp/go\",\"type\":\"bind\",\"source\":\"$T/go\",\"options\":[\"bind\"]}"
  # The program eats memory only once the event listener is up.
  cmd 'read x </tmp/go; exec tail /dev/zero'
  run_detached_ok "$ID"
  timeout 30 "$VIGIL" --root "$STATE" "${DRIVER_FLAGS[@]}" events --interval 10s "$ID" >"$T/events" 2>&1 </dev/null 3>&- &
  local events_pid=$!
  echo "$events_pid" >>"$T/bgpids"
  wait_for file_has "$T/events" '"type":"stats"'
  echo go >"$T/go"
  wait "$events_pid" || fail "events failed: $(cat "$T/events")"
  grep -q "{\"id\":\"$ID\",\"type\":\"oom\"}" "$T/events" || fail "no oom event: $(cat "$T/events")"
  assert_eq "$(tail -1 "$T/events")" "{\"id\":\"$ID\",\"type\":\"exit\"}"
  vigil delete "$ID"
  assert_eq "$(cgroup_leftovers "$ID")" ""
  assert_clean
}

@test "cgroups: 50 containers created and deleted concurrently leave no cgroup behind" {
  local i pids=()
  for i in $(seq 1 50); do
    ( create "$ID-$i"; echo "$status" >"$T/c-$i.rc"; vigil delete --force "$ID-$i" 2>"$T/d-$i.err"; echo $? >"$T/d-$i.rc" ) 3>&- &
    pids+=($!)
  done
  wait "${pids[@]}"
  for i in $(seq 1 50); do
    assert_eq "$(cat "$T/c-$i.rc")" 0 || fail "create $ID-$i: $(cat "$(err_file "$ID-$i")")"
    assert_eq "$(cat "$T/d-$i.rc")" 0 || fail "delete $ID-$i: $(cat "$T/d-$i.err")"
    assert_eq "$(cgroup_leftovers "$ID-$i")" ""
  done
  assert_clean
}
