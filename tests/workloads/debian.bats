#!/usr/bin/env bats
# Real workloads under policies (docs/POLICY.md, "Learning", and contrib/policies/): in a
# Debian 12 tree made with debootstrap (tests/debian-tree, kept in build/debian), apt-get
# installs packages offline from its cache (maintainer scripts and all), a Python program
# runs, a C program is built with gcc and make.
#   1. apt-get install learnt, then the same install on a fresh copy under the suggested
#      policy: no refusal, at most 20 exec rules; a program outside what was learnt refused.
#   2. The shipped profiles: debian-apt installs more packages, python runs a program,
#      gcc-make builds one, hardened runs all of it; each with no refusal, picked by name
#      from contrib/policies as from /etc/vigil/policies.
# The tests share one tree ($W/b): each builds on what the one before installed.

load ../integration/helpers

setup_file() {
  TREE=$REPO/build/debian
  W=$BATS_FILE_TMPDIR/w
  export TREE W
  [ -z "${DEBIAN_TREE_ERROR:-}" ] || return 0
  # shellcheck disable=SC2046
  "$REPO/tests/debian-tree" "$TREE" $(cat "$REPO/tests/workloads/debian-packages") 2>"$BATS_FILE_TMPDIR/tree.err" ||
    export DEBIAN_TREE_ERROR="$(cat "$BATS_FILE_TMPDIR/tree.err")"
  mkdir -p "$W"
}

setup() {
  [ -z "${DEBIAN_TREE_ERROR:-}" ] || skip "no Debian tree: $DEBIAN_TREE_ERROR"
  vigil_setup
  cfg set /root/path "$(json_str "$W/b")"
  cfg set /root/readonly false
  cfg set /process/env '["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND=noninteractive", "HOME=/root"]'
  # What dpkg and the maintainer scripts need: Docker's default capabilities.
  local caps='["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
    "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"]'
  local set
  for set in bounding effective permitted; do cfg set "/process/capabilities/$set" "$caps"; done
  POLICIES=(--policy-dir "$REPO/contrib/policies")
}
teardown() { vigil_teardown; }

# work_to_end ID SCRIPT [GLOBAL FLAGS...]: runs SCRIPT in $W/b from create to its end (an
# apt-get install takes a while under learn mode); sets status (the script's exit status)
# and output (what it printed, stderr first). The container and its audit log stay.
work_to_end() {
  local id=$1 script=$2
  shift 2
  cmd "($script); echo \"exit \$?\" >&2"
  leave_running "$id" "$@" create --bundle "$BUNDLE"
  [ "$status" -eq 0 ] || fail "create $id failed: $output"
  start_ok "$id"
  WAIT_FOR_S=600 wait_status "$id" stopped
  status=$(sed -n 's/^exit \([0-9]*\)$/\1/p' "$(err_file "$id")" | tail -1)
  output=$(grep -v '^exit [0-9]*$' "$(err_file "$id")"; cat "$(out_file "$id")")
}

# no_refusal ID: its audit log has no warning, refusal or kill.
no_refusal() {
  local found
  found=$(audit_select "$1" '.action != "learn"')
  [ -z "$found" ] || fail "refused or warned: $found"
}

# under_profile NAME: the global flags and annotation that pick contrib/policies/NAME.json.
under_profile() {
  cfg set /annotations "{\"run.vigil.policy\": \"$1\"}"
}

@test "debian: apt-get install learnt, then under the suggested policy on a fresh copy with no refusal" {
  local install="apt-get install -y -q --no-download python3 curl"
  rm -rf "$W/b" && cp -a "$TREE" "$W/b"
  printf '{"version": 1, "learn": true}\n' >"$T/learn.json"
  work_to_end "$ID-learn" "$install" --policy "$T/learn.json"
  assert_contains "$output" "Setting up python3"
  assert_audit "$ID-learn" learn learn /usr/bin/dpkg
  vigil policy suggest "$ID-learn" >"$T/apt.json" 2>"$T/notes" || fail "suggest failed: $(cat "$T/notes")"
  run vigil policy check "$T/apt.json"
  assert_eq "$output" "$T/apt.json: valid"
  local rules
  rules=$(jq '.exec.rules | length' "$T/apt.json")
  echo "# the suggested policy: $rules exec rules: $(jq -c '[.exec.rules[].path]' "$T/apt.json")" >&3
  [ "$rules" -le 20 ] || fail "$rules exec rules, more than 20: $(jq -c .exec.rules "$T/apt.json")"
  cp "$T/apt.json" "$W/suggested-apt.json"

  # The same install on a fresh copy, under what was suggested.
  rm -rf "$W/b" && cp -a "$TREE" "$W/b"
  work_to_end "$ID-again" "$install" --policy "$T/apt.json"
  assert_eq "$status" 0
  assert_contains "$output" "Setting up python3"
  no_refusal "$ID-again"
  # A program outside what was learnt: copied into /tmp and run.
  work_to_end "$ID-other" 'cp /usr/bin/true /tmp/mine && /tmp/mine || echo refused' --policy "$T/apt.json"
  assert_contains "$output" refused
  assert_audit "$ID-other" exec.default deny /tmp/mine
}

@test "debian: the debian-apt profile installs gcc and make with no refusal" {
  [ -d "$W/b/usr/lib/python3.11" ] || skip "the tree of the test before is not there"
  under_profile debian-apt
  work_to_end "$ID" "apt-get install -y -q --no-download gcc make libc6-dev" "${POLICIES[@]}"
  assert_eq "$status" 0
  assert_contains "$output" "Setting up gcc"
  no_refusal "$ID"
}

# A Python program that uses what programs commonly do: modules in C (json, hashlib, sqlite3
# where there), a subprocess, a file written and read back, threads.
PYTHON='cat >/tmp/prog.py <<EOF
import hashlib, json, os, subprocess, tempfile, threading
out = []
t = threading.Thread(target=lambda: out.append(hashlib.sha256(b"vigil").hexdigest()[:8]))
t.start(); t.join()
with tempfile.NamedTemporaryFile("w+", dir="/tmp", delete=False) as f:
    json.dump({"sum": out[0]}, f)
print(json.load(open(f.name))["sum"], subprocess.run(["uname", "-s"], capture_output=True, text=True).stdout.strip())
os.unlink(f.name)
EOF
python3 /tmp/prog.py'

@test "debian: the python profile runs a Python program with no refusal" {
  [ -x "$W/b/usr/bin/python3" ] || skip "the tree of the tests before is not there"
  under_profile python
  work_to_end "$ID" "$PYTHON" "${POLICIES[@]}"
  assert_eq "$status" 0
  assert_eq "$output" "$(printf vigil | sha256sum | cut -c1-8) Linux"
  no_refusal "$ID"
}

# A C build: a program of two files and a Makefile.
BUILD='mkdir -p /tmp/build && cd /tmp/build &&
printf "int twice(int x) { return 2 * x; }\n" >lib.c &&
printf "#include <stdio.h>\nint twice(int);\nint main(void) { printf(\"%%d\\\\n\", twice(21)); return 0; }\n" >main.c &&
printf "hello: main.o lib.o\n\t\$(CC) -o \$@ main.o lib.o\n" >Makefile &&
make -s CC=gcc && ./hello'

@test "debian: the gcc-make profile builds and runs a C program with no refusal" {
  [ -x "$W/b/usr/bin/gcc" ] || skip "the tree of the tests before is not there"
  under_profile gcc-make
  work_to_end "$ID" "$BUILD" "${POLICIES[@]}"
  assert_eq "$status" 0
  assert_eq "$output" 42
  no_refusal "$ID"
}

@test "debian: the hardened profile runs apt-get, Python and a C build with no refusal" {
  [ -x "$W/b/usr/bin/gcc" ] || skip "the tree of the tests before is not there"
  under_profile hardened
  work_to_end "$ID" "apt-get install -y -q --no-download --reinstall curl >/dev/null 2>&1 && $PYTHON && rm -rf /tmp/build && $BUILD" \
    "${POLICIES[@]}"
  assert_eq "$status" 0
  assert_eq "$output" "$(printf vigil | sha256sum | cut -c1-8) Linux"$'\n42'
  no_refusal "$ID"
}
