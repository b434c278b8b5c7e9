#!/bin/bash
# A real workload under exec verification: `apt-get install python3 curl` (about 130 packages
# with their dependencies, maintainer scripts included) in a Debian 12 rootfs made with
# debootstrap, plain and under a policy that verifies every exec fully (only the system's
# directories and dpkg's maintainer scripts may run, checksums of dpkg and apt-get, the ELF
# checks, tpe), interleaved. The tree and its packages are fetched once into
# build/bench/debian and installed offline from there (no network in the container); each
# run gets a fresh copy, made outside the time measured. A refusal fails dpkg, and the run.
# Goal: verified/plain ≤ 1.15.
set -eu
RUNS=${BENCH_APT_N:-3}
PACKAGES="python3 curl"
top=$(pwd)
tree=$top/build/bench/debian
work=$(mktemp -d /tmp/vigil-bench-apt.XXXXXX)
trap 'rm -rf "$work"' EXIT
. tests/bench/lib.sh

debian_tree "$tree" "$PACKAGES" || exit 0

J=build/tests/jsonedit
mkdir -p "$work/b"
build/vigil spec --bundle "$work/b"
$J "$work/b/config.json" set /root/path '"rootfs"'
$J "$work/b/config.json" set /root/readonly false
$J "$work/b/config.json" set /process/terminal false
# shellcheck disable=SC2086
$J "$work/b/config.json" set /process/args "$(printf '"%s",' apt-get install -y -q --no-download $PACKAGES | sed 's/^/[/; s/,$/]/')"
$J "$work/b/config.json" set /process/env '["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND=noninteractive"]'
# What dpkg and the maintainer scripts need: Docker's default capabilities.
caps='["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
  "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"]'
for set in bounding effective permitted; do $J "$work/b/config.json" set "/process/capabilities/$set" "$caps"; done

# Merged /usr: every program and library resolves below /usr. dpkg runs the maintainer
# scripts from /var/lib/dpkg/info and (new packages' preinst) /var/lib/dpkg/tmp.ci.
sum() { sha256sum "$tree$1" | cut -d' ' -f1; }
cat >"$work/verify.json" <<JSON
{"version": 1, "supervise": true, "exec": {
  "default": "deny",
  "rules": [
    {"path": "/usr/bin/**", "action": "allow"},
    {"path": "/usr/sbin/**", "action": "allow"},
    {"path": "/usr/lib/**", "action": "allow"},
    {"path": "/usr/libexec/**", "action": "allow"},
    {"path": "/usr/share/debconf/frontend", "action": "allow"},
    {"path": "/var/lib/dpkg/info/*", "action": "allow"},
    {"path": "/var/lib/dpkg/tmp.ci/*", "action": "allow"},
    {"path": "/tmp/**", "action": "kill"},
    {"path": "/dev/shm/**", "action": "kill"}],
  "deny_execstack": true, "deny_ldso": true, "deny_elf32": true, "deny_wx": true,
  "checksums": {"/usr/bin/dpkg": "sha256:$(sum /usr/bin/dpkg)", "/usr/bin/apt-get": "sha256:$(sum /usr/bin/apt-get)"},
  "tpe": {"enabled": true, "trusted_uids": [0]}}}
JSON

# Learn mode (docs/POLICY.md, "Learning"): every exec, library and allocation seen and recorded.
printf '{"version": 1, "learn": true}\n' >"$work/learn.json"

# run_as NAME ID [POLICY-FLAGS...]: one install on a fresh copy of the tree, only vigil timed.
run_as() {
  rm -rf "$work/b/rootfs"
  cp -a "$tree" "$work/b/rootfs"
  timed "$1" "$top/build/vigil" --root "$work/state" "${@:3}" run --bundle "$work/b" "$2"
}
for i in $(seq "$RUNS"); do
  run_as apt-plain "p$i"
  run_as apt-verified "v$i" --policy "$work/verify.json"
  run_as apt-learn "l$i" --policy "$work/learn.json"
done
debs=$(find "$tree/var/cache/apt/archives" -name '*.deb' | wc -l)
compare "apt-get install $PACKAGES ($debs packages, offline) in Debian 12, $RUNS runs each (median wall time); goal ≤ 1.15" \
  apt-plain apt-verified
compare "the same under learn mode (a policy to suggest from; no goal)" apt-plain apt-learn
