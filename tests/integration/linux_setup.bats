#!/usr/bin/env bats
# What the container's process sees: identity, limits, namespaces, mounts, devices, fds.
# Each test runs a busybox script in the container and checks what it printed.

load helpers

setup() {
  vigil_setup
  # /tmp of the container is a tmpfs, so mount points under it never touch the shared rootfs.
  cfg append /mounts '{"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev"]}'
}
teardown() { vigil_teardown; }

# bind_mount SOURCE DESTINATION [OPTION...]: adds a bind mount to the config.
bind_mount() {
  local src=$1 dst=$2
  shift 2
  cfg append /mounts "{\"destination\":$(json_str "$dst"),\"type\":\"bind\",\"source\":$(json_str "$src"),\"options\":$(json_array bind "$@")}"
}

# ns_index TYPE: the index of namespace TYPE in linux.namespaces.
ns_index() {
  local i=0 t
  while t=$(cfg get /linux/namespaces/$i/type 2>/dev/null); do
    [ "$t" = "$1" ] && echo $i && return 0
    i=$((i + 1))
  done
  return 1
}

# in_container SCRIPT: runs SCRIPT with `vigil run`, asserting exit status 0.
in_container() {
  cmd "$1"
  run_fg "$ID-$((++RUNS))"
  [ "$status" -eq 0 ] || fail "vigil run failed ($status): $stderr"
}

@test "linux: hostname and domainname" {
  cfg set /hostname '"box-1"'
  cfg set /domainname '"example.test"'
  in_container 'hostname; cat /proc/sys/kernel/hostname /proc/sys/kernel/domainname'
  assert_eq "$output" "box-1
box-1
example.test"
  # The host's names are untouched.
  assert_eq "$(hostname)" "$(cat /proc/sys/kernel/hostname)"
  [ "$(hostname)" != box-1 ] || fail "the host's hostname changed"
}

@test "linux: uid, gid and additionalGids" {
  cfg set /process/user '{"uid":1000,"gid":1001,"additionalGids":[2000,2001]}'
  in_container 'id -u; id -g; id -G; grep -E "^(Uid|Gid|Groups):" /proc/self/status'
  assert_eq "${lines[0]}" 1000
  assert_eq "${lines[1]}" 1001
  assert_eq "${lines[2]}" "1001 2000 2001"
  assert_eq "$(echo ${lines[3]})" "Uid: 1000 1000 1000 1000"
  assert_eq "$(echo ${lines[4]})" "Gid: 1001 1001 1001 1001"
  assert_eq "$(echo ${lines[5]})" "Groups: 2000 2001"
}

@test "linux: umask from process.user.umask, 0022 without it" {
  cfg set /process/user '{"uid":0,"gid":0,"umask":23}'
  in_container 'umask'
  assert_eq "$output" 0027
  cfg set /process/user '{"uid":0,"gid":0}'
  in_container 'umask'
  assert_eq "$output" 0022
}

@test "linux: environment from process.env, HOME defaulting to /" {
  cfg append /process/env '"FOO=bar baz"'
  in_container 'echo "$FOO"; echo "$HOME"; echo "$TERM"; echo "$PATH"'
  assert_eq "$output" "bar baz
/
xterm
/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  cfg append /process/env '"HOME=/root"'
  in_container 'echo "$HOME"'
  assert_eq "$output" /root
}

@test "linux: cwd" {
  cfg set /process/cwd '"/dev/shm"'
  in_container 'pwd'
  assert_eq "$output" /dev/shm
  cfg set /process/cwd '"/tmp"'
  in_container 'pwd'
  assert_eq "$output" /tmp
}

@test "linux: capabilities: only CAP_KILL" {
  cfg set /process/capabilities '{"bounding":["CAP_KILL"],"effective":["CAP_KILL"],"permitted":["CAP_KILL"],"inheritable":[],"ambient":[]}'
  in_container 'grep ^Cap /proc/self/status'
  assert_eq "$(echo $output)" "CapInh: 0000000000000000 CapPrm: 0000000000000020 CapEff: 0000000000000020 CapBnd: 0000000000000020 CapAmb: 0000000000000000"
}

@test "linux: capabilities: the default set, and ambient ones for a non-root user" {
  in_container 'grep ^Cap /proc/self/status'
  # CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE.
  assert_eq "$(echo $output)" "CapInh: 0000000000000000 CapPrm: 0000000020000420 CapEff: 0000000020000420 CapBnd: 0000000020000420 CapAmb: 0000000000000000"
  cfg set /process/user '{"uid":1000,"gid":1000}'
  cfg set /process/capabilities '{"bounding":["CAP_NET_BIND_SERVICE"],"effective":["CAP_NET_BIND_SERVICE"],"permitted":["CAP_NET_BIND_SERVICE"],"inheritable":["CAP_NET_BIND_SERVICE"],"ambient":["CAP_NET_BIND_SERVICE"]}'
  in_container 'grep ^Cap /proc/self/status'
  assert_eq "$(echo $output)" "CapInh: 0000000000000400 CapPrm: 0000000000000400 CapEff: 0000000000000400 CapBnd: 0000000000000400 CapAmb: 0000000000000400"
}

@test "linux: noNewPrivileges" {
  in_container 'grep ^NoNewPrivs: /proc/self/status'
  assert_eq "$(echo $output)" "NoNewPrivs: 1"
  cfg set /process/noNewPrivileges false
  in_container 'grep ^NoNewPrivs: /proc/self/status'
  assert_eq "$(echo $output)" "NoNewPrivs: 0"
}

@test "linux: rlimits within the host's limits" {
  in_container 'ulimit -n; ulimit -Hn'
  assert_eq "$output" "1024
1024"
  cfg set /process/rlimits '[{"type":"RLIMIT_NOFILE","soft":512,"hard":4096},{"type":"RLIMIT_CORE","soft":0,"hard":0}]'
  in_container 'ulimit -n; ulimit -Hn; ulimit -c'
  assert_eq "$output" "512
4096
0"
}

@test "linux: oomScoreAdj" {
  cfg set /process/oomScoreAdj 100
  in_container 'cat /proc/self/oom_score_adj'
  assert_eq "$output" 100
}

@test "linux: a namespaced sysctl is set in the container only" {
  local host
  host=$(cat /proc/sys/net/ipv4/ip_forward)
  cfg set /linux/sysctl '{"net.ipv4.ip_forward":"1"}'
  in_container 'cat /proc/sys/net/ipv4/ip_forward'
  assert_eq "$output" 1
  assert_eq "$(cat /proc/sys/net/ipv4/ip_forward)" "$host"
}

@test "linux: maskedPaths: a masked file reads empty, a masked directory is empty" {
  mkdir -p "$T/data/secretdir"
  echo secret >"$T/data/secret.txt"
  echo inner >"$T/data/secretdir/inner"
  echo visible >"$T/data/visible"
  bind_mount "$T/data" /tmp/data ro
  cfg append /linux/maskedPaths '"/tmp/data/secret.txt"'
  cfg append /linux/maskedPaths '"/tmp/data/secretdir"'
  # And the defaults: /proc/keys (a file) and /sys/firmware (a directory).
  in_container 'wc -c </tmp/data/secret.txt; ls -A /tmp/data/secretdir | wc -l; cat /tmp/data/visible
wc -c </proc/keys; ls -A /sys/firmware | wc -l'
  assert_eq "$(echo $output)" "0 0 visible 0 0"
  # The host's files are untouched.
  assert_eq "$(cat "$T/data/secret.txt")" secret
  assert_eq "$(cat "$T/data/secretdir/inner")" inner
}

@test "linux: readonlyPaths cannot be written, their siblings can" {
  mkdir -p "$T/rw/sub"
  bind_mount "$T/rw" /tmp/rw rw
  cfg append /linux/readonlyPaths '"/tmp/rw/sub"'
  in_container 'echo a >/tmp/rw/f && echo wrote-f
{ echo b >/tmp/rw/sub/f; } 2>&1 || echo refused-sub
{ echo 1 >/proc/sys/kernel/hostname; } 2>&1 || echo refused-proc-sys'
  assert_contains "$output" wrote-f
  assert_contains "$output" refused-sub
  assert_contains "$output" refused-proc-sys
  assert_contains "$output" "Read-only file system"
  assert_eq "$(cat "$T/rw/f")" a
  [ ! -e "$T/rw/sub/f" ] || fail "a file was written below a read-only path"
}

@test "linux: root.readonly true refuses writes to /" {
  in_container 'touch /newfile 2>&1 || echo refused'
  assert_contains "$output" "Read-only file system"
  assert_contains "$output" refused
}

@test "linux: root.readonly false allows writes to /" {
  private_rootfs
  cfg set /root/readonly false
  in_container 'echo hello >/newfile && echo wrote'
  assert_eq "$output" wrote
  assert_eq "$(cat "$BUNDLE/rootfs/newfile")" hello
}

@test "linux: bind mounts: rw, ro and a single file" {
  mkdir "$T/rwdir" "$T/rodir"
  echo original >"$T/rodir/file"
  echo file-bind >"$T/hostfile"
  bind_mount "$T/rwdir" /tmp/rw rw
  bind_mount "$T/rodir" /tmp/ro ro
  bind_mount "$T/hostfile" /tmp/file.txt ro
  in_container 'echo new >/tmp/rw/created && echo rw-ok
echo changed >/tmp/ro/file 2>/dev/null || echo ro-refused
cat /tmp/ro/file
cat /tmp/file.txt
[ -f /tmp/file.txt ] && echo is-file
echo x >/tmp/file.txt 2>/dev/null || echo file-ro-refused'
  assert_eq "$output" "rw-ok
ro-refused
original
file-bind
is-file
file-ro-refused"
  assert_eq "$(cat "$T/rwdir/created")" new
  assert_eq "$(cat "$T/rodir/file")" original
  assert_eq "$(cat "$T/hostfile")" file-bind
}

@test "linux: tmpfs mount options" {
  cfg append /mounts '{"destination":"/tmp/scratch","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev","noexec","size=1m","mode=1770"]}'
  in_container 'grep " /tmp/scratch " /proc/self/mountinfo; stat -c %a /tmp/scratch; echo x >/tmp/scratch/f && echo writable'
  local info=${lines[0]}
  assert_contains "$info" " - tmpfs "
  local opts
  opts=$(cut -d' ' -f6 <<<"$info")
  assert_contains ",$opts," ",nosuid,"
  assert_contains ",$opts," ",nodev,"
  assert_contains ",$opts," ",noexec,"
  assert_contains "$info" "size=1024k"
  assert_contains "$info" "mode=1770"
  assert_eq "${lines[1]}" 1770
  assert_eq "${lines[2]}" writable
}

@test "linux: tmpcopyup: a tmpfs starts with a copy of what it covers, read-only if asked" {
  # /etc of the shared rootfs: its files, the links as links; writes stay in the tmpfs.
  cfg append /mounts '{"destination":"/etc","type":"tmpfs","source":"tmpfs","options":["tmpcopyup","nosuid"]}'
  cfg append /mounts '{"destination":"/bin","type":"tmpfs","source":"tmpfs","options":["tmpcopyup","ro"]}'
  in_container 'head -1 /etc/passwd; echo new >/etc/passwd && cat /etc/passwd; readlink /bin/sh; grep " /bin " /proc/self/mountinfo | cut -d" " -f6; touch /bin/x 2>&1 || true'
  assert_eq "${lines[0]}" "root:x:0:0:root:/root:/bin/sh"
  assert_eq "${lines[1]}" new
  assert_eq "${lines[2]}" busybox
  assert_contains "${lines[3]}" ro
  assert_contains "${lines[4]}" "Read-only file system"
  assert_eq "$(head -1 "$ROOTFS/etc/passwd")" "root:x:0:0:root:/root:/bin/sh"
}

@test "linux: rbind carries the submounts of the source, bind does not" {
  mkdir -p "$T/rb/sub"
  host_mount -t tmpfs -o size=1m tmpfs "$T/rb/sub"
  echo inner >"$T/rb/sub/f"
  cfg append /mounts "{\"destination\":\"/tmp/b\",\"type\":\"bind\",\"source\":\"$T/rb\",\"options\":[\"bind\"]}"
  cfg append /mounts "{\"destination\":\"/tmp/rb\",\"type\":\"bind\",\"source\":\"$T/rb\",\"options\":[\"rbind\"]}"
  in_container 'cat /tmp/rb/sub/f; [ -e /tmp/b/sub/f ] && echo bind-has-submount || echo bind-without-submount'
  assert_eq "$output" "inner
bind-without-submount"
}

@test "linux: default devices are the right character devices" {
  in_container 'for d in null zero full random urandom tty; do echo "$d $(stat -c "%F %t:%T %a" /dev/$d)"; done
readlink /dev/ptmx; stat -c "%F %t:%T" /dev/pts/ptmx
for l in fd stdin stdout stderr; do readlink /dev/$l; done'
  assert_eq "$output" "null character special file 1:3 666
zero character special file 1:5 666
full character special file 1:7 666
random character special file 1:8 666
urandom character special file 1:9 666
tty character special file 5:0 666
pts/ptmx
character special file 5:2
/proc/self/fd
/proc/self/fd/0
/proc/self/fd/1
/proc/self/fd/2"
}

@test "linux: linux.devices entries appear with their type, numbers, mode and owner" {
  cfg set /linux/devices '[{"path":"/dev/fuse","type":"c","major":10,"minor":229,"fileMode":438,"uid":0,"gid":0},{"path":"/dev/vigil-null","type":"c","major":1,"minor":3,"fileMode":384,"uid":1000,"gid":1001}]'
  in_container 'stat -c "%F %t:%T %a %u:%g" /dev/fuse /dev/vigil-null'
  # stat prints the numbers in hex: 10:229 is a:e5.
  assert_eq "$output" "character special file a:e5 666 0:0
character special file 1:3 600 1000:1001"
}

@test "linux: a user namespace maps container root to host uid 100000" {
  require_userns
  cfg append /linux/namespaces '{"type":"user"}'
  cfg set /linux/uidMappings '[{"containerID":0,"hostID":100000,"size":65536}]'
  cfg set /linux/gidMappings '[{"containerID":0,"hostID":100000,"size":65536}]'
  mkdir "$T/uns"
  chmod 777 "$T/uns"
  # The container's root (host uid 100000) opens the bind source: let it through bats' 0700 run dir.
  chmod o+x "$BATS_RUN_TMPDIR" "$BATS_RUN_TMPDIR/test" "$T"
  bind_mount "$T/uns" /tmp/uns rw
  in_container 'cat /proc/self/uid_map /proc/self/gid_map; id -u; touch /tmp/uns/f; stat -c %u:%g /tmp/uns/f'
  assert_eq "$(echo ${lines[0]})" "0 100000 65536"
  assert_eq "$(echo ${lines[1]})" "0 100000 65536"
  assert_eq "${lines[2]}" 0
  assert_eq "${lines[3]}" 0:0
  assert_eq "$(stat -c %u:%g "$T/uns/f")" 100000:100000
}

@test "linux: a time namespace with offsets" {
  require_timens
  cfg append /linux/namespaces '{"type":"time"}'
  cfg set /linux/timeOffsets '{"monotonic":{"secs":86400,"nanosecs":0},"boottime":{"secs":86400,"nanosecs":0}}'
  local host_up
  host_up=$(cut -d. -f1 /proc/uptime)
  in_container 'cut -d. -f1 /proc/uptime; cat /proc/self/timens_offsets'
  local up=${lines[0]}
  [ "$up" -ge 86400 ] || fail "uptime inside is $up"
  [ "$up" -ge $((host_up + 86400)) ] && [ "$up" -le $((host_up + 86400 + 10)) ] ||
    fail "uptime inside $up, outside $host_up"
  assert_eq "$(echo ${lines[1]})" "monotonic 86400 0"
  assert_eq "$(echo ${lines[2]})" "boottime 86400 0"
}

@test "linux: joining another container's network namespace by path" {
  require_applet ip
  # The first container brings its loopback up (a fresh namespace has it down) and waits.
  cfg set /process/capabilities '{"bounding":["CAP_NET_ADMIN"],"effective":["CAP_NET_ADMIN"],"permitted":["CAP_NET_ADMIN"]}'
  cmd 'ip link set lo up && echo ready; while :; do sleep 1; done'
  run_detached_ok "$ID-a"
  wait_ready "$ID-a"
  local pid_a ns_a
  pid_a=$(init_pid "$ID-a")
  ns_a=$(readlink "/proc/$pid_a/ns/net")
  [ "$ns_a" != "$(readlink /proc/self/ns/net)" ] || fail "the first container shares the host's network namespace"

  local B=$T/bundle-b
  new_bundle "$B"
  local CFG=$B/config.json
  cfg set "/linux/namespaces/$(ns_index network)/path" "$(json_str "/proc/$pid_a/ns/net")"
  cmd 'readlink /proc/self/ns/net; ip -o link show lo'
  run_fg "$ID-b"
  assert_status 0
  assert_eq "${lines[0]}" "$ns_a"
  assert_contains "${lines[1]}" "LOOPBACK,UP"

  # A container with a network namespace of its own sees neither.
  local C=$T/bundle-c
  new_bundle "$C"
  CFG=$C/config.json
  cmd 'readlink /proc/self/ns/net; ip -o link show lo'
  B=$C run_fg "$ID-c"
  assert_status 0
  [ "${lines[0]}" != "$ns_a" ] || fail "a new network namespace is the first container's"
  assert_not_contains "${lines[1]}" "LOOPBACK,UP"
}

@test "linux: --no-pivot runs in the rootfs" {
  cmd 'echo $$; ls /; [ -e /work ] && echo host-visible || echo isolated'
  run_fg "$ID" --no-pivot
  assert_status 0
  assert_eq "${lines[0]}" 1
  assert_eq "$(echo ${lines[@]:1})" "bin dev etc proc root sys tmp isolated"
}

@test "linux: --preserve-fds passes fd 3 in, and no other fd leaks" {
  echo preserved-data >"$T/pfile"
  cmd 'cat <&3; readlink /proc/self/fd/3; exec ls /proc/self/fd'
  remember_id "$ID"
  local rc=0
  timeout 20 "$VIGIL" --root "$STATE" run --preserve-fds 1 --bundle "$BUNDLE" "$ID" \
    3<"$T/pfile" 5<"$T/pfile" 7>"$T/junk" 9<"$T" >"$T/run.out" 2>"$T/run.err" </dev/null || rc=$?
  assert_eq "$rc" 0
  # ls lists 0-2, the preserved 3, and the one it opened itself.
  assert_eq "$(cat "$T/run.out")" "preserved-data
$T/pfile
0
1
2
3
4"
  # Without --preserve-fds only 0-2 and ls's own.
  cfg set /process/args '["ls","/proc/self/fd"]'
  rc=0
  timeout 20 "$VIGIL" --root "$STATE" run --bundle "$BUNDLE" "$ID" \
    3<"$T/pfile" 5<"$T/pfile" 7>"$T/junk" 9<"$T" >"$T/run.out" 2>"$T/run.err" </dev/null || rc=$?
  assert_eq "$rc" 0
  assert_eq "$(cat "$T/run.out")" "0
1
2
3"
}

@test "linux: the container's init is pid 1 of its pid namespace" {
  in_container 'echo $$; cat /proc/1/cmdline | tr "\0" " "; echo; ls /proc | grep -c "^[0-9]"'
  assert_eq "${lines[0]}" 1
  assert_contains "${lines[1]}" "sh -c"
  # sh, ls and grep: nothing of the host's.
  [ "${lines[2]}" -le 4 ] || fail "the container sees ${lines[2]} processes"
}
