#!/usr/bin/env bats
# Learn mode and `vigil policy suggest` (docs/POLICY.md, "Learning"): a run in which every
# refusal is a warning and what the supervisor sees is recorded in the audit log; then a
# policy suggested from that log, under which the same run goes through with no refusal and
# a program or file outside what was learnt is refused. The Debian workloads (apt-get, a
# Python program, a C build) are tests/workloads/debian.bats.

load helpers

setup_file() {
  file_rootfs alloc files
  mkdir -p "$FILE_ROOTFS/secret" "$FILE_ROOTFS/tmp" "$FILE_ROOTFS/data"
  echo key >"$FILE_ROOTFS/secret/key"
  echo hello >"$FILE_ROOTFS/data/motd"
}

setup() {
  vigil_setup
  cfg set /root/path "$(json_str "$FILE_ROOTFS")"
  cfg set /root/readonly false
  rm -rf "${FILE_ROOTFS:?}"/tmp/*
  printf '{"version": 1, "learn": true, "paths": {"default": "deny"}}\n' >"$T/learn.json"
}
teardown() {
  vigil_teardown
  rm -rf "${FILE_ROOTFS:?}"/tmp/*
}

# The work learnt and then enforced: reads, a listing, writes and a directory made in /tmp,
# 40 MiB allocated.
WORK='cat /data/motd; ls /data; mkdir /tmp/d; echo x >/tmp/d/out; cat /tmp/d/out; alloc large 40'

@test "learn: a container may learn only where the host's policy allows it" {
  cfg set /annotations '{"run.vigil.learn": "true"}'
  script_to_end "$ID" -- true
  [ "$status" -ne 0 ] || fail "learn mode was granted by an annotation alone"
  assert_contains "$output" 'learn=true would loosen the host'"'"'s policy (it does not say "allow_learn": true)'
  printf '{"version": 1, "allow_learn": true}\n' >"$T/host.json"
  script_to_end "$ID-ok" --policy "$T/host.json" -- true
  [ "$status" -eq 0 ] || fail "create failed: $output"
  # Learning is supervised: the run's program is recorded.
  assert_audit "$ID-ok" learn learn /bin/busybox
}

@test "learn: every refusal is a warning, written once, and each program is recorded with its facts" {
  printf '{"version": 1, "learn": true, "exec": {"default": "deny", "deny_static": true}}\n' >"$T/deny.json"
  script_to_end "$ID" --policy "$T/deny.json" -- 'echo one; ls /data; echo two; alloc small 1'
  [ "$status" -eq 0 ] || fail "create failed: $output"
  assert_contains "$output" one
  assert_contains "$output" motd
  assert_contains "$output" two
  assert_contains "$output" "small: 1024 KiB"
  assert_audit "$ID" exec.default warn /bin/busybox
  assert_contains "$AUDIT" '"detail":"learn mode, would deny: path rule"'
  [ "$(wc -l <<<"$AUDIT")" -eq 1 ] || fail "the same warning was written more than once: $AUDIT"
  assert_audit "$ID" exec.deny_static warn /bin/alloc
  local line sum
  line=$(audit_select "$ID" '.action == "learn" and .subject == "/bin/busybox" and .learned.kind == "exec"')
  sum=$(sha256sum "$FILE_ROOTFS/bin/busybox" | cut -d' ' -f1)
  assert_eq "$(jq -r .learned.digest <<<"$line")" "sha256:$sum"
  assert_eq "$(jq -c '[.learned.role, .learned.elf.static, .learned.dir_uid]' <<<"$line")" '["program",true,0]'
  # explain names learn mode and the rule of each warning, without the learn lines.
  run vigil policy explain "$ID"
  assert_contains "$output" "learn: every refusal below is only a warning"
  assert_contains "$output" 'warn by exec.default; to allow it: add {"path": "/bin/busybox", "action": "allow"}'
  [[ "$output" != *"by learn;"* ]] || fail "explain took a learn line for a decision: $output"
}

@test "learn: the suggested policy lets the same run through, and refuses what was not learnt" {
  script_to_end "$ID-learn" --policy "$T/learn.json" -- "$WORK"
  [ "$status" -eq 0 ] || fail "create failed: $output"
  local learnt=$output
  assert_contains "$learnt" "large: 40960 KiB, then nothing"
  run --separate-stderr vigil policy suggest "$ID-learn"
  [ "$status" -eq 0 ] || fail "suggest failed: $stderr"
  printf '%s\n' "$output" >"$T/suggested.json"
  run vigil policy check "$T/suggested.json"
  assert_eq "$output" "$T/suggested.json: valid"
  # What was learnt, as rules: /bin/*, as most of its programs ran (busybox, alloc; not files),
  # the memory peak with its margin.
  assert_eq "$(jq -c '[.exec.default, [.exec.rules[].path], .exec.tpe.enabled]' "$T/suggested.json")" \
    '["deny",["/bin/*"],true]'
  local max
  max=$(jq -r .memory.max "$T/suggested.json")
  [[ "$max" =~ ^[0-9]+M$ ]] && [ "${max%M}" -ge 60 ] && [ "${max%M}" -le 80 ] || fail "memory.max $max is not 1.5 × 40M and a little"
  jq -e '.paths.rules[] | select(.path == "/secret/**" or .path == "/**" and (.access | index("read")))' "$T/suggested.json" &&
    fail "the suggested path rules let /secret be read: $(jq -c .paths "$T/suggested.json")"

  # The same work on a fresh /tmp: the same output, not one refusal.
  rm -rf "${FILE_ROOTFS:?}"/tmp/*
  script_to_end "$ID-same" --policy "$T/suggested.json" -- "$WORK"
  [ "$status" -eq 0 ] || fail "create failed under the suggested policy: $output"
  assert_eq "$output" "$learnt"
  refute_audit "$ID-same"

  # A program run from elsewhere, a file not read then, 100 MiB: refused.
  script_to_end "$ID-other" --policy "$T/suggested.json" -- \
    'cp /bin/busybox /tmp/bb; /tmp/bb true || echo exec refused; cat /secret/key || echo read refused; alloc large 100'
  assert_contains "$output" "exec refused"
  assert_contains "$output" "read refused"
  assert_contains "$output" "then ENOMEM"
  assert_audit "$ID-other" exec.default deny /tmp/bb
}

@test "learn: suggest --checksums refuses a changed program; a kept log, and one past delete, suggest the same" {
  script_to_end "$ID-learn" --policy "$T/learn.json" -- "$WORK"
  [ "$status" -eq 0 ] || fail "create failed: $output"
  vigil policy suggest --checksums "$ID-learn" >"$T/sums.json" || fail "suggest --checksums failed"
  assert_eq "$(jq -r '.exec.checksums["/bin/alloc"]' "$T/sums.json")" "sha256:$(sha256sum "$FILE_ROOTFS/bin/alloc" | cut -d' ' -f1)"
  assert_eq "$(jq -r .exec.unlisted "$T/sums.json")" deny
  # From a copy of the log, with the rootfs named: the same policy, and a wider margin.
  cp "$(audit_log "$ID-learn")" "$T/kept.log"
  vigil policy suggest "$ID-learn" >"$T/by-id.json"
  vigil policy suggest --root-dir "$FILE_ROOTFS" "$T/kept.log" >"$T/by-file.json"
  assert_eq "$(jq -S . "$T/by-file.json")" "$(jq -S . "$T/by-id.json")"
  # Deleted, it keeps what it learnt (podman and containerd delete a container when it exits),
  # though not its rootfs: /bin's two programs that ran are two rules, not /bin/*.
  vigil delete "$ID-learn" || fail "delete failed"
  vigil policy suggest "$ID-learn" >"$T/after-delete.json" || fail "suggest after delete failed"
  vigil policy suggest "$T/kept.log" >"$T/no-rootfs.json"
  assert_eq "$(jq -S . "$T/after-delete.json")" "$(jq -S . "$T/no-rootfs.json")"
  assert_eq "$(jq -c '[.exec.rules[].path]' "$T/no-rootfs.json")" '["/bin/alloc","/bin/busybox"]'
  vigil policy suggest --margin 3 "$T/kept.log" >"$T/wide.json"
  [ "$(jq -r .memory.max "$T/wide.json" | tr -d M)" -ge 120 ] || fail "--margin 3 did not widen memory.max: $(jq -c .memory "$T/wide.json")"
  run vigil policy suggest --margin 0.5 "$T/kept.log"
  assert_contains "$output" "--margin must be a number from 1 to 100"
  printf '{"action":"deny"}\n' >"$T/empty.log"
  run vigil policy suggest "$T/empty.log"
  [ "$status" -ne 0 ] && assert_contains "$output" 'no learn lines: run the container with "learn": true first'

  # alloc replaced by another program of the same name: its digest differs.
  rm -rf "${FILE_ROOTFS:?}"/tmp/*
  cp "$FILE_ROOTFS/bin/files" "$T/alloc.saved"
  cp "$FILE_ROOTFS/bin/alloc" "$T/alloc.orig"
  cp "$FILE_ROOTFS/bin/files" "$FILE_ROOTFS/bin/alloc"
  script_to_end "$ID-changed" --policy "$T/sums.json" -- 'alloc large 1 || echo refused'
  cp "$T/alloc.orig" "$FILE_ROOTFS/bin/alloc"
  assert_contains "$output" refused
  assert_audit "$ID-changed" exec.checksums deny /bin/alloc
}

@test "learn: the shipped busybox and hardened profiles run busybox shell work with no refusal" {
  local work='cd /tmp && mkdir w && cd w && echo hello >a && grep -c hello a && sed s/hello/bye/ a | tr a-z A-Z &&
    sort a a | uniq | wc -l && tar cf t.tar a && gzip t.tar && gunzip -c t.tar.gz | tar tf - && chmod 600 a && stat -c %a a &&
    head -1 /etc/passwd | cut -d: -f1 && cd / && rm -rf /tmp/w'
  local profile
  for profile in busybox hardened; do
    cfg set /annotations "{\"run.vigil.policy\": \"$profile\"}"
    script_to_end "$ID-$profile" --policy-dir "$REPO/contrib/policies" -- "$work"
    [ "$status" -eq 0 ] || fail "create under $profile failed: $output"
    assert_eq "$output" $'1\nBYE\n1\na\n600\nroot'
    refute_audit "$ID-$profile"
  done
  # busybox's profile runs busybox alone.
  cfg set /annotations '{"run.vigil.policy": "busybox"}'
  script_to_end "$ID-other" --policy-dir "$REPO/contrib/policies" -- 'alloc small 1 || echo refused'
  assert_contains "$output" refused
  assert_audit "$ID-other" exec.default deny /bin/alloc
}
