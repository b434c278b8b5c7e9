#!/bin/bash
# Path rules' cost: a file-heavy workload (find every file of a Debian 12 tree's /usr, /etc
# and /var and read it all) in a container whose root is that tree, with vigil plain, under
# an allow-list of trees Landlock enforces (the supervisor is not involved), and under a
# deny rule inside the readable tree, which the supervisor judges (every open for reading
# is notified, and made by the supervisor), interleaved with runc and crun. The last two
# pinned to one CPU as well: a judged open ends in SECCOMP_IOCTL_NOTIF_ADDFD, whose handshake
# (the process woken to take the fd, the supervisor woken when it has) the scheduler may
# spread over two CPUs, which on a guest costs wake-ups from idle.
# Goals: landlock/plain ≤ 1.05, supervised/plain ≤ 2.
set -eu
LOOPS=${BENCH_LOOP_N:-7}
top=$(pwd)
tree=$top/build/bench/debian
work=$(mktemp -d /tmp/vigil-bench-paths.XXXXXX)
trap 'rm -rf "$work"' EXIT
. tests/bench/lib.sh

# The apt-get benchmark's tree, read only here.
debian_tree "$tree" "python3 curl" || exit 0

J=build/tests/jsonedit
mkdir -p "$work/b"
build/vigil spec --bundle "$work/b"
$J "$work/b/config.json" set /root/path "\"$tree\""
$J "$work/b/config.json" set /process/terminal false
$J "$work/b/config.json" set /process/args '["sh", "-c", "find /usr /etc /var -xdev -type f -print0 2>/dev/null | xargs -0 cat >/dev/null"]'
$J "$work/b/config.json" set /process/env '["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]'
# crun 1.8 knows runtime-spec versions up to 1.1 only.
$J "$work/b/config.json" set /ociVersion '"1.0.2"'
# Reading is allowed in the system's trees, one by one; nothing may be written but /dev.
cat >"$work/landlock.json" <<'JSON'
{"version": 1, "paths": {"default": "deny", "rules": [
  {"path": "/**", "access": ["list", "exec", "chmod", "chown"], "action": "allow"},
  {"path": "/usr/**", "access": ["read"], "action": "allow"},
  {"path": "/etc/**", "access": ["read"], "action": "allow"},
  {"path": "/var/**", "access": ["read"], "action": "allow"},
  {"path": "/root/**", "access": ["read"], "action": "allow"},
  {"path": "/proc/**", "access": ["read"], "action": "allow"},
  {"path": "/dev/**", "access": ["read", "write", "ioctl"], "action": "allow"}]}}
JSON

printf '{"version": 1, "supervise": true, "exec": {"allow_memfd": true}, "paths": {"rules": [{"path": "/root/.secret", "access": ["read"], "action": "deny"}]}}\n' >"$work/supervised.json"

runtimes=(vigil landlock supervised vigil-1cpu supervised-1cpu)
command -v runc >/dev/null && runtimes+=(runc)
command -v crun >/dev/null && runtimes+=(crun)
run_one() {  # runtime, id
  case $1 in
    vigil) timed vigil "$top/build/vigil" --root "$work/vigil" run --bundle "$work/b" "$2" ;;
    landlock) timed landlock "$top/build/vigil" --root "$work/vigil" --policy "$work/landlock.json" run --bundle "$work/b" "$2" ;;
    supervised) timed supervised "$top/build/vigil" --root "$work/vigil" --policy "$work/supervised.json" run --bundle "$work/b" "$2" ;;
    vigil-1cpu) timed vigil-1cpu taskset -c 0 "$top/build/vigil" --root "$work/vigil" run --bundle "$work/b" "$2" ;;
    supervised-1cpu) timed supervised-1cpu taskset -c 0 "$top/build/vigil" --root "$work/vigil" --policy "$work/supervised.json" run --bundle "$work/b" "$2" ;;
    runc) timed runc runc --root "$work/runc" run --bundle "$work/b" "$2" ;;
    crun) timed crun crun --root "$work/crun" run --bundle "$work/b" "$2" ;;
  esac
}
# A warm page cache for all, then the runs side by side.
for rt in "${runtimes[@]}"; do run_one "$rt" "warm-$rt"; done
times=()
for i in $(seq "$LOOPS"); do
  for rt in "${runtimes[@]}"; do run_one "$rt" "$rt-$i"; done
done
files=$(find "$tree/usr" "$tree/etc" "$tree/var" -xdev -type f | wc -l)
report "paths: find and read all $files files of a Debian tree, $LOOPS runs each (median wall time, run included)" "${runtimes[@]:5}"
compare "an allow-list of trees, held by Landlock; goal ≤ 1.05" vigil landlock
compare "a deny rule inside the readable tree, judged by the supervisor; goal ≤ 2" vigil supervised
compare "the same, both on one CPU" vigil-1cpu supervised-1cpu
