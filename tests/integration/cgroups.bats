#!/usr/bin/env bats
# cgroups on this hybrid host: v1 controllers, hugetlb alone on the unified (v2) hierarchy.
# Each resource is read back from the cgroup files outside and inside the container.

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

# The container's cgroup directory in hierarchy $2 (memory, pids, cpu, ...).
cg_dir() { echo "/sys/fs/cgroup/$2/vigil/$1"; }

# cgroup dirs of container ID left in any hierarchy.
cgroup_leftovers() { ls -d /sys/fs/cgroup/*/vigil/"$1" 2>/dev/null || true; }

sleeper() { cmd 'echo ready; while :; do sleep 1; done'; }

@test "cgroups: the container gets /vigil/<id> in every hierarchy, sees it as / (cgroup namespace), and delete removes it" {
  sleeper
  run_detached_ok "$ID"
  wait_ready "$ID"
  local pid
  pid=$(init_pid "$ID")
  for h in cpu cpuacct cpuset memory devices freezer blkio pids systemd unified; do
    [ -d "$(cg_dir "$ID" $h)" ] || fail "no cgroup in $h"
    grep -qx "$pid" "$(cg_dir "$ID" $h)/cgroup.procs" || fail "init not in the $h cgroup"
  done
  run --separate-stderr "$VIGIL" --root "$STATE" ps --format json "$ID"
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
  cfg set /linux/resources '{"memory":{"limit":67108864,"swappiness":20},"pids":{"limit":42},
    "cpu":{"shares":300,"quota":30000,"period":100000,"cpus":"0"}}'
  cmd 'cut -d: -f3 /proc/self/cgroup | sort -u; cd /sys/fs/cgroup; cat memory/memory.limit_in_bytes memory/memory.swappiness \
    pids/pids.max cpu/cpu.shares cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpuset/cpuset.cpus'
  run_fg "$ID"
  assert_status 0
  assert_eq "$output" $'/\n67108864\n20\n42\n300\n30000\n100000\n0'
  assert_eq "$(cgroup_leftovers "$ID")" ""
  assert_clean
}

@test "cgroups: memory, cpu, cpuset and pids resources are written as asked" {
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
  dev=$(stat -c '%Hd:%Ld' "$ROOTFS")
  local major=${dev%%:*} minor=${dev##*:}
  [ "$major" -ne 0 ] || skip "the rootfs is not on a block device"
  cfg set /linux/resources "{\"blockIO\":{\"throttleReadBpsDevice\":[{\"major\":$major,\"minor\":$minor,\"rate\":1048576}],
    \"throttleWriteIOPSDevice\":[{\"major\":$major,\"minor\":$minor,\"rate\":100}]}}"
  sleeper
  run_detached_ok "$ID"
  wait_ready "$ID"
  assert_eq "$(cat "$(cg_dir "$ID" blkio)/blkio.throttle.read_bps_device")" "$major:$minor 1048576"
  assert_eq "$(cat "$(cg_dir "$ID" blkio)/blkio.throttle.write_iops_device")" "$major:$minor 100"
  vigil delete --force "$ID"
  assert_clean
}

@test "cgroups: a resource the host lacks fails create, naming the controller and the file, and leaves nothing" {
  # No CFQ/BFQ weight file on this host's blkio controller.
  [ ! -e /sys/fs/cgroup/blkio/blkio.weight ] || skip "this host has blkio.weight"
  cfg set /linux/resources '{"blockIO":{"weight":500}}'
  create "$ID"
  assert_status 1
  assert_contains "$output" "the host's blkio controller has no blkio.weight"
  assert_eq "$(cgroup_leftovers "$ID")" ""
  cfg set /linux/resources '{"network":{"classID":1048577}}'
  create "$ID"
  assert_status 1
  assert_contains "$output" "the net_cls controller is not available on this host (needed for net_cls.classid)"
  cfg set /linux/resources '{"unified":{"memory.high":"1000000"}}'
  create "$ID"
  assert_status 1
  assert_contains "$output" "unified.memory.high: the memory controller is not on a cgroup v2 hierarchy here"
  assert_eq "$(cgroup_leftovers "$ID")" ""
  assert_clean
}

@test "cgroups: hugetlb lives on the unified hierarchy, which does not delegate it here: refused with the file to change" {
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

@test "cgroups: a custom absolute cgroupsPath is created and removed; a pre-existing one is joined and kept" {
  local base=vigil-bats-$$-$BATS_SUITE_TEST_NUMBER
  cfg set /linux/cgroupsPath "\"/$base/c\""
  sleeper
  run_detached_ok "$ID"
  wait_ready "$ID"
  grep -qx "$(init_pid "$ID")" "/sys/fs/cgroup/pids/$base/c/cgroup.procs" || fail "not in /$base/c"
  vigil delete --force "$ID"
  [ ! -e "/sys/fs/cgroup/pids/$base" ] || fail "/$base was left"
  # Pre-existing in the pids hierarchy only: joined, and left there afterwards.
  mkdir "/sys/fs/cgroup/pids/$base-pre"
  PRE_CGROUPS=("/sys/fs/cgroup/pids/$base-pre")
  cfg set /linux/cgroupsPath "\"/$base-pre\""
  run_detached_ok "$ID-2"
  wait_ready "$ID-2"
  grep -qx "$(init_pid "$ID-2")" "/sys/fs/cgroup/pids/$base-pre/cgroup.procs" || fail "not joined"
  vigil delete --force "$ID-2"
  [ -d "/sys/fs/cgroup/pids/$base-pre" ] || fail "a cgroup vigil did not create was removed"
  [ ! -e "/sys/fs/cgroup/memory/$base-pre" ] || fail "the memory cgroup vigil created was left"
  assert_clean
}

@test "cgroups: a systemd-style cgroupsPath needs --systemd-cgroup, and the systemd driver a host of cgroup v2 alone" {
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
  assert_eq "$(cat "$(cg_dir "$ID" memory)/memory.limit_in_bytes")" 67108864
  assert_eq "$(cat "$(cg_dir "$ID" memory)/memory.soft_limit_in_bytes")" 33554432
  assert_eq "$(cat "$(cg_dir "$ID" memory)/memory.memsw.limit_in_bytes")" 134217728
  assert_eq "$(cat "$(cg_dir "$ID" cpu)/cpu.shares")" 256
  assert_eq "$(cat "$(cg_dir "$ID" cpu)/cpu.cfs_quota_us")" 20000
  assert_eq "$(cat "$(cg_dir "$ID" cpu)/cpu.cfs_period_us")" 100000
  assert_eq "$(cat "$(cg_dir "$ID" cpuset)/cpuset.mems")" 0
  assert_eq "$(cat "$(cg_dir "$ID" cpuset)/cpuset.cpus")" 0
  assert_eq "$(cat "$(cg_dir "$ID" pids)/pids.max")" 20
  # Lowering memory below the current memory+swap needs the other order: vigil finds it.
  run --separate-stderr vigil update --memory 16m --memory-swap 32m "$ID"
  assert_status 0
  assert_eq "$(cat "$(cg_dir "$ID" memory)/memory.memsw.limit_in_bytes")" 33554432
  # The LinuxResources JSON containerd and podman send, on stdin.
  run --separate-stderr bash -c "echo '{\"pids\":{\"limit\":30},\"cpu\":{\"shares\":128}}' | timeout 10 $VIGIL --root $STATE update --resources - $ID"
  assert_status 0
  assert_eq "$(cat "$(cg_dir "$ID" pids)/pids.max")" 30
  assert_eq "$(cat "$(cg_dir "$ID" cpu)/cpu.shares")" 128
  # This host has no blkio.weight: refused, naming the file, and nothing else changes.
  if [ ! -e /sys/fs/cgroup/blkio/blkio.weight ]; then
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
  assert_eq "$(cat "$(cg_dir "$ID" freezer)/freezer.state")" FROZEN
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
  run --separate-stderr "$VIGIL" --root "$STATE" ps --format json "$ID"
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
  timeout 30 "$VIGIL" --root "$STATE" events --interval 10s "$ID" >"$T/events" 2>&1 </dev/null 3>&- &
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
