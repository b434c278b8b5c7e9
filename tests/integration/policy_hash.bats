#!/usr/bin/env bats
# vigil policy hash: lines for a policy's exec.checksums, the digests sha256sum and sha512sum
# print, of files on the host or inside a root directory as a container would see them.

load helpers

setup() { vigil_setup; }
teardown() { vigil_teardown; }

# checksum_line PATH FILE ALGO: the line policy hash should print for PATH, whose content is FILE's.
checksum_line() {
  printf '%s: "%s:%s",' "$(json_str "$1")" "$3" "$("$3sum" "$2" | cut -d' ' -f1)"
}

@test "policy hash: one line per path, ready for exec.checksums, as sha256sum and sha512sum say" {
  printf 'a "quoted"\\ name' >"$T/we\"ird"
  run --separate-stderr vigil policy hash /bin/bash "$T/we\"ird"
  assert_status 0
  assert_eq "$stderr" ""
  assert_eq "${lines[0]}" "$(checksum_line /bin/bash /bin/bash sha256)"
  assert_eq "${lines[1]}" "$(checksum_line "$T/we\"ird" "$T/we\"ird" sha256)"
  assert_eq "${#lines[@]}" 2
  # The lines are JSON object members, the path a key exactly as given.
  printf '{%s "": ""}' "$output" >"$T/checksums.json"
  assert_eq "$("$JSONEDIT" "$T/checksums.json" get "/$(sed 's|~|~0|g; s|/|~1|g' <<<"$T/we\"ird")")" \
    "sha256:$(sha256sum "$T/we\"ird" | cut -d' ' -f1)"

  run --separate-stderr vigil policy hash --algo sha512 /bin/bash
  assert_status 0
  assert_eq "$output" "$(checksum_line /bin/bash /bin/bash sha512)"
}

@test "policy hash --root-dir: paths resolve inside the directory, symlinks too, never on the host" {
  local root=$T/root
  mkdir -p "$root/bin" "$root$T"
  echo host >"$T/file"
  echo inside >"$root$T/file"
  # An absolute link, and one climbing out with "..": both end at $root$T/file.
  ln -s "$T/file" "$root/bin/abs"
  ln -s "../../../../../../../../..$T/file" "$root/bin/up"
  run --separate-stderr vigil policy hash --root-dir "$root" /bin/abs /bin/up "$T/file" /bin/../../../bin/abs
  assert_status 0
  assert_eq "${lines[0]}" "$(checksum_line /bin/abs "$root$T/file" sha256)"
  assert_eq "${lines[1]}" "$(checksum_line /bin/up "$root$T/file" sha256)"
  assert_eq "${lines[2]}" "$(checksum_line "$T/file" "$root$T/file" sha256)"
  assert_eq "${lines[3]}" "$(checksum_line /bin/../../../bin/abs "$root$T/file" sha256)"
  # The demo rootfs: /bin/sh is a link to busybox.
  run --separate-stderr vigil policy hash --root-dir "$ROOTFS" /bin/sh
  assert_status 0
  assert_eq "$output" "$(checksum_line /bin/sh "$ROOTFS/bin/busybox" sha256)"
}

@test "policy hash: a path it cannot hash is an error naming it, and ends the command" {
  echo x >"$T/ok"
  run --separate-stderr vigil policy hash "$T/ok" "$T/missing" "$T/ok"
  assert_status 1
  assert_eq "$output" "$(checksum_line "$T/ok" "$T/ok" sha256)"
  assert_eq "$stderr" "vigil: policy hash $T/missing: open $T/missing: ENOENT (No such file or directory)"

  mkdir -p "$T/root/dev"
  mkfifo "$T/root/dev/fifo"
  mknod "$T/root/dev/null" c 1 3
  run --separate-stderr vigil policy hash --root-dir "$T/root" /missing
  assert_status 1
  assert_contains "$stderr" "policy hash /missing: openat2 rootfs/missing: ENOENT"
  # Special files are refused without being opened: a FIFO would block, a device could act.
  run --separate-stderr vigil policy hash --root-dir "$T/root" /dev/fifo
  assert_status 1
  assert_eq "$stderr" "vigil: policy hash /dev/fifo: a FIFO, not a regular file"
  run --separate-stderr vigil policy hash --root-dir "$T/root" /dev/null
  assert_eq "$stderr" "vigil: policy hash /dev/null: a character device, not a regular file"
  run --separate-stderr vigil policy hash "$T"
  assert_status 1
  assert_eq "$stderr" "vigil: policy hash $T: a directory, not a regular file"
}

@test "policy hash: usage errors" {
  run --separate-stderr vigil policy hash
  assert_status 1
  assert_contains "$stderr" "policy: missing PATH (usage: vigil policy check FILE"
  run --separate-stderr vigil policy hash --algo md5 /bin/busybox
  assert_status 1
  assert_contains "$stderr" "--algo must be sha256 or sha512"
  assert_eq "$output" ""
  run --separate-stderr vigil policy hash -- -x
  assert_status 1
  assert_contains "$stderr" "policy hash -x: open -x: ENOENT"
  run --separate-stderr vigil policy hash $'/bin/\xff'
  assert_status 1
  assert_contains "$stderr" "not UTF-8, so no policy can name it"
}
