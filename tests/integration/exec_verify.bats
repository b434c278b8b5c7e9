#!/usr/bin/env bats
# Exec verification: a supervised container's policy says which programs and libraries may
# run (docs/POLICY.md, the `exec` section). Each test runs the programs of tests/exec in a
# rootfs of this file's own (the demo rootfs, plus the host's loader and libc, the programs,
# and a few traps), under a policy given with --policy, and asserts what the caller saw (the
# exit status, the errno, the program's line or its absence) and the audit line in
# <root>/<id>/audit.log.

load helpers

EXEC_BUILD=$REPO/build/tests/exec

# The rootfs, at $XROOTFS (/ in the container):
#   /lib/x86_64-linux-gnu/       the host's loader and libc (what `ldd` says the programs need)
#   /lib64/ld-linux-x86-64.so.2  → the loader, as on the host ($LDSO; $LDSO_REAL resolved)
#   /opt/progs/                  the test programs (pie, nopie, static, execstack, elf32, ...)
#   /opt/libs/                   libplain.so, libexecstack.so (for dlopen)
#   /opt/denied/prog             a dynamic PIE ("hello from denied"); policies deny /opt/denied/**
#   /opt/denied/script.sh        a #!/bin/sh script in that directory
#   /bin/sneaky                  → ../opt/denied/prog
#   /opt/interp/sh               a copy of busybox, a shell interpreter policies deny
#   /scripts/ok.sh               #!/bin/sh, prints "script ok"
#   /scripts/bad-interp.sh       #!/opt/interp/sh
#   /opt/data/nonelf             mode 755, neither ELF nor #! ("echo NONELF-RAN")
#   /ww/static                   in a world-writable directory (tpe)
#   /untrusted/static            in a directory owned by uid 1000 (tpe)
#   /race/denied, /race/allowed  the race's binaries (marker and static), swapped at /race/target
#   /jail                        a root to chroot into: bin/busybox, bin/sh, inner/prog (static)
setup_file() {
  local p
  for p in pie nopie denied static execstack marker dlopen spawn wx fileless race libplain.so libexecstack.so; do
    [ -f "$EXEC_BUILD/$p" ] || fail "$EXEC_BUILD/$p is missing: make integration builds it" || return 1
  done
  [ -x "$ROOTFS/bin/busybox" ] || fail "$ROOTFS is missing: make build/demo/rootfs/bin/busybox" || return 1
  export XROOTFS=$BATS_FILE_TMPDIR/rootfs
  local R=$XROOTFS X=$EXEC_BUILD
  cp -a "$ROOTFS" "$R"
  mkdir -p "$R"/{lib/x86_64-linux-gnu,lib64,opt/progs,opt/libs,opt/denied,opt/interp,opt/data,scripts,ww,untrusted,race}
  # The libraries the dynamic programs need, in the multiarch directory the loader searches,
  # and the loader also under the name in their PT_INTERP.
  local lib dir=/lib/x86_64-linux-gnu
  while read -r lib; do
    cp -L "$lib" "$R$dir/"
    if [ "$(dirname "$lib")" != "$dir" ]; then
      export LDSO=$lib LDSO_REAL=$dir/${lib##*/}
      ln -s "$LDSO_REAL" "$R$lib"
    fi
  done < <(ldd "$X/pie" "$X/nopie" "$X/dlopen" "$X/spawn" "$X/denied" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $1 !~ /:$/ {print $1}' | sort -u)
  [ -n "${LDSO:-}" ] || fail "no loader found in ldd's output for $X/pie" || return 1
  export LIBC=$dir/libc.so.6
  [ -f "$R$LIBC" ] || fail "no libc.so.6 in ldd's output for $X/pie" || return 1
  cp "$X"/{pie,nopie,static,execstack,dlopen,spawn,wx,fileless,race} "$R/opt/progs/"
  cp "$X/libplain.so" "$X/libexecstack.so" "$R/opt/libs/"
  cp "$X/denied" "$R/opt/denied/prog"
  printf '#!/bin/sh\necho denied script ran\n' >"$R/opt/denied/script.sh"
  ln -s ../opt/denied/prog "$R/bin/sneaky"
  cp "$R/bin/busybox" "$R/opt/interp/sh"
  printf '#!/bin/sh\necho script ok\n' >"$R/scripts/ok.sh"
  printf '#!/opt/interp/sh\necho script with a denied interpreter ran\n' >"$R/scripts/bad-interp.sh"
  printf 'echo NONELF-RAN\n' >"$R/opt/data/nonelf"
  chmod 755 "$R/opt/denied/script.sh" "$R"/scripts/*.sh "$R/opt/data/nonelf"
  cp "$X/static" "$R/ww/static"
  cp "$X/static" "$R/untrusted/static"
  chown 1000:1000 "$R/untrusted"
  # tpe trusts a directory by its owner and mode: every one is root's, 755, but the traps.
  find "$R" -type d -exec chmod 0755 {} +
  chmod 0777 "$R/ww"
  mkdir -p "$R/jail/bin" "$R/jail/inner"
  cp "$R/bin/busybox" "$R/jail/bin/busybox"
  ln -s busybox "$R/jail/bin/sh"
  cp "$X/static" "$R/jail/inner/prog"
  cp "$X/marker" "$R/race/denied"
  cp "$X/static" "$R/race/allowed"
  # The 32-bit program, if gcc could build it and this kernel runs it.
  export ELF32_SKIP=""
  if [ ! -f "$X/elf32" ]; then
    ELF32_SKIP="no 32-bit test program: $(head -1 "$X/elf32.skip" 2>/dev/null || echo "gcc -m32 -static failed") (gcc-multilib)"
  elif [ "$("$X/elf32" 2>&1)" != "hello from elf32" ]; then
    ELF32_SKIP="this kernel does not run 32-bit programs"
  else
    cp "$X/elf32" "$R/opt/progs/"
  fi
}

teardown_file() {
  [ -n "${XROOTFS:-}" ] && rm -rf "$XROOTFS"
}

setup() {
  vigil_setup
  cfg set /root/path "$(json_str "$XROOTFS")"
}
teardown() { vigil_teardown; }

# policy NAME EXEC-SECTION: $T/NAME.json, a policy that supervises with this exec section.
policy() {
  printf '{"version": 1, "supervise": true, "exec": %s}\n' "$2" >"$T/$1.json"
  jq -e . "$T/$1.json" >/dev/null || fail "the test's policy $1 is not JSON: $2"
}

# run_under ID POLICY ARGS...: a container of ARGS under $T/POLICY.json ("" for none), from
# create through start to its end; sets output and stderr to what it printed. The container
# stays (stopped) for its audit log; teardown deletes it.
run_under() {
  local id=$1 pol=$2
  shift 2
  cfg set /process/args "$(json_array "$@")"
  local flags=()
  [ -z "$pol" ] || flags=(--policy "$T/$pol.json")
  leave_running "$id" "${flags[@]}" create --bundle "$BUNDLE"
  [ "$status" -eq 0 ] || fail "create $id under ${pol:-no policy} failed ($status): $output"
  start_ok "$id"
  wait_status "$id" stopped
  output=$(container_output "$id")
  stderr=$(container_stderr "$id")
}

# exec_fg ARGS...: vigil exec in the foreground; sets status, output and stderr.
exec_fg() {
  status=0
  output=$(timeout -k 2 "$VIGIL_TIMEOUT" "$VIGIL" --root "$STATE" exec "$@" </dev/null 2>"$T/exec.err" 3>&-) || status=$?
  stderr=$(cat "$T/exec.err")
}

# count_lines TEXT LINE: how many lines of TEXT are exactly LINE.
count_lines() { grep -cxF -- "$2" <<<"$1" || true; }

# race_count OUTPUT NAME: a count from the race program's summary line.
race_count() { sed -n "s/^race: .* $2=\([0-9]*\).*/\1/p" <<<"$1"; }

sha256_of() { sha256sum "$XROOTFS$1" | cut -d' ' -f1; }

# every_program [--more]: a shell script that runs every program and trap of the rootfs as a
# shell would, each printing what it did; with --more the 32-bit program too (if there is
# one) and the fileless execs.
every_program() {
  local elf32=: fileless=:
  if [ "${1-}" = --more ]; then
    elf32='[ ! -e /opt/progs/elf32 ] || /opt/progs/elf32'
    fileless='for m in memfd fexecve opath-deleted; do /opt/progs/fileless $m /opt/progs/static; done'
  fi
  cat <<EOS
for p in pie nopie static execstack; do /opt/progs/\$p; done
$elf32
/opt/progs/dlopen /opt/libs/libplain.so; /opt/progs/dlopen /opt/libs/libexecstack.so
/opt/progs/wx
/opt/progs/spawn /opt/progs/static
/opt/denied/prog; /bin/sneaky; $LDSO /opt/denied/prog
/scripts/ok.sh; /scripts/bad-interp.sh; /opt/denied/script.sh
/ww/static; /untrusted/static
$fileless
EOS
}

EVERY_PROGRAM_PRINTS='hello from pie
hello from nopie
hello from static
hello from execstack
dlopen ok
dlopen ok
mmap wx: ok
mprotect wx: ok
mprotect rx: ok
hello from static
/opt/progs/static: exit 0
hello from denied
hello from denied
hello from denied
script ok
script with a denied interpreter ran
denied script ran
hello from static
hello from static'

# ---- the test rootfs itself ------------------------------------------------------------

@test "exec verify: every test program runs in this file's rootfs without a policy" {
  cfg set /root/readonly false
  run_under "$ID" "" sh -c "$(every_program --more)"
  local expected=$EVERY_PROGRAM_PRINTS$'\nhello from static\nhello from static\nhello from static'
  [ -z "$ELF32_SKIP" ] && expected=${expected/hello from execstack/hello from execstack$'\n'hello from elf32}
  assert_eq "$output" "$expected"
  assert_eq "$stderr" ""
  # A file with the exec bit that is neither ELF nor a script: the kernel says ENOEXEC and
  # the shell runs it as a script itself.
  run_under "$ID-nonelf" "" sh -c '/opt/data/nonelf; echo rc=$?'
  assert_eq "$output" $'NONELF-RAN\nrc=0'
  # The loader and libc run as programs.
  run_under "$ID-ldso" "" sh -c "$LDSO /opt/progs/pie; $LIBC | head -1"
  assert_contains "$output" "hello from pie"
  assert_contains "$output" "GNU C Library"
  [ ! -e "$STATE/$ID/audit.log" ] || fail "an unsupervised container has an audit log"
}

@test "exec verify: a supervised container whose policy checks nothing runs every program" {
  cfg set /root/readonly false
  echo '{"version": 1, "supervise": true}' >"$T/none.json"
  # The 32-bit program too: its i386 system calls are judged like the others. Not fileless
  # execs: allow_memfd is false unless a policy says otherwise.
  local expected=$EVERY_PROGRAM_PRINTS
  [ -n "$ELF32_SKIP" ] || expected+=$'\nhello from elf32'
  run_under "$ID" none sh -c "$(every_program); [ ! -e /opt/progs/elf32 ] || /opt/progs/elf32"
  assert_eq "$output" "$expected"
  assert_eq "$stderr" ""
  refute_audit "$ID"
}

@test "exec verify: the race program swaps its binaries: both run unsupervised; supervised, a swap caught between check and exec is stopped" {
  cfg set /root/readonly false
  echo '{"version": 1, "supervise": true}' >"$T/none.json"
  local pol summary stopped
  for pol in "" none; do
    WAIT_FOR_S=120 run_under "$ID${pol:+-$pol}" "$pol" /opt/progs/race /race /race/denied /race/allowed 2000
    summary=$(grep '^race: ' <<<"$output") || fail "no summary from the race: $output $stderr"
    printf '# %s: %s\n' "${pol:-unsupervised}" "$summary" >&3
    [ "$(race_count "$summary" allowed)" -gt 0 ] || fail "the allowed binary never ran: $summary"
    [ "$(race_count "$summary" marker)" -gt 0 ] || fail "the denied binary never ran: $summary"
    assert_eq "$(count_lines "$output" "hello from MARKER")" "$(race_count "$summary" marker)"
    assert_eq "$(race_count "$summary" errno)" 0
    assert_eq "$(race_count "$summary" other)" 0
    stopped=$(($(race_count "$summary" eacces) + $(race_count "$summary" killed)))
    assert_eq "$(($(race_count "$summary" allowed) + $(race_count "$summary" marker) + stopped))" 2000
  done
  # With nothing to refuse, only a file that changed between the check and the kernel's own
  # lookup is stopped (killed at its exec stop, or refused when it kept changing), each audited.
  assert_eq "$(audit_select "$ID-none" '.rule == "exec.image" and .subject == "/race/target"' | grep -c .)" "$stopped"
}

# ---- rules -------------------------------------------------------------------------------

@test "exec verify: rules allow, deny, kill and warn by the resolved path; the last match wins" {
  policy p '{"default": "allow", "rules": [
    {"path": "/opt/progs/*", "action": "deny"},
    {"path": "/opt/progs/pie", "action": "allow"},
    {"path": "/opt/progs/nopie", "action": "kill"},
    {"path": "/opt/progs/static", "action": "warn"}]}'
  run_under "$ID" p sh -c '/opt/progs/pie; echo pie=$?; /opt/progs/execstack; echo execstack=$?
    /opt/progs/nopie; echo nopie=$?; /opt/progs/static; echo static=$?'
  assert_eq "$output" $'hello from pie\npie=0\nexecstack=126\nnopie=137\nhello from static\nstatic=0'
  assert_contains "$stderr" "/opt/progs/execstack: Permission denied"
  assert_audit "$ID" 'exec.rules[0]' deny /opt/progs/execstack
  assert_eq "$(jq -r .syscall <<<"$AUDIT")" execve
  assert_audit "$ID" 'exec.rules[2]' kill /opt/progs/nopie
  assert_audit "$ID" 'exec.rules[3]' warn /opt/progs/static
  refute_audit "$ID" /opt/progs/pie
  refute_audit "$ID" /bin/busybox
}

@test "exec verify: a process that chroots is judged in its new root, the others still in theirs" {
  local caps='["CAP_SYS_CHROOT"]' set
  for set in bounding effective permitted; do cfg set "/process/capabilities/$set" "$caps"; done
  # /inner/prog is a path only inside the jail; looked up in the container's root it is missing.
  policy p '{"rules": [{"path": "/inner/**", "action": "deny"}]}'
  run_under "$ID" p sh -c 'chroot /jail /inner/prog; echo jail=$?; /opt/progs/static; echo out=$?
    chroot /jail /bin/sh -c "/inner/prog; echo again=\$?"'
  assert_eq "$output" $'jail=126\nhello from static\nout=0\nagain=126'
  assert_audit "$ID" 'exec.rules[0]' deny /inner/prog
}

@test "exec verify: default deny with the library directories allowed runs a dynamic program; without them it cannot" {
  policy libs '{"default": "deny", "rules": [
    {"path": "/bin/**", "action": "allow"},
    {"path": "/lib/x86_64-linux-gnu/**", "action": "allow"},
    {"path": "/lib64/**", "action": "allow"},
    {"path": "/opt/progs/pie", "action": "allow"},
    {"path": "/opt/progs/dlopen", "action": "allow"},
    {"path": "/opt/libs/libplain.so", "action": "allow"}]}'
  run_under "$ID" libs sh -c '/opt/progs/pie; echo pie=$?; /opt/progs/static; echo static=$?
    /opt/progs/dlopen /opt/libs/libplain.so; /opt/progs/dlopen /opt/libs/libexecstack.so; echo dlopen=$?'
  assert_eq "$(sed '5d' <<<"$output")" $'hello from pie\npie=0\nstatic=126\ndlopen ok\ndlopen=1'
  assert_contains "$(sed -n 5p <<<"$output")" "dlopen failed: /opt/libs/libexecstack.so: "
  assert_audit "$ID" exec.default deny /opt/progs/static
  # A library outside the allowed ones cannot be mapped executable.
  assert_audit "$ID" exec.default deny /opt/libs/libexecstack.so
  assert_contains "$(jq -r .syscall <<<"$AUDIT")" mmap
  refute_audit "$ID" /opt/libs/libplain.so
  refute_audit "$ID" "$LIBC"
  refute_audit "$ID" "$LDSO_REAL"

  # Without the library directories the loader or libc is refused: the program never runs.
  policy nolibs '{"default": "deny", "rules": [
    {"path": "/bin/**", "action": "allow"},
    {"path": "/opt/progs/pie", "action": "allow"}]}'
  run_under "$ID-nolibs" nolibs sh -c '/opt/progs/pie; echo pie=$?'
  assert_not_contains "$output" "hello from pie"
  assert_not_contains "$output" "pie=0"
  local found
  found=$(audit_select "$ID-nolibs" '.rule == "exec.default" and .action == "deny" and (.subject == $l or .subject == $r or .subject == $c)' \
    --arg l "$LDSO" --arg r "$LDSO_REAL" --arg c "$LIBC")
  [ -n "$found" ] || fail "no audit line refusing the loader or libc: $(cat "$(audit_log "$ID-nolibs")" 2>/dev/null)"
}

# ---- properties of the file --------------------------------------------------------------

@test "exec verify: require_pie refuses a program that is not PIE" {
  # busybox is not PIE either: the container's process is spawn, a PIE.
  policy p '{"require_pie": true}'
  run_under "$ID" p /opt/progs/spawn /opt/progs/nopie /opt/progs/pie
  assert_eq "$output" $'/opt/progs/nopie: EACCES\n/opt/progs/nopie: exit 126\nhello from pie\n/opt/progs/pie: exit 0'
  assert_audit "$ID" exec.require_pie deny /opt/progs/nopie
  refute_audit "$ID" /opt/progs/pie
}

@test "exec verify: deny_execstack refuses a program and a dlopen'ed library with an executable stack" {
  policy p '{"deny_execstack": true}'
  run_under "$ID" p sh -c '/opt/progs/execstack; echo execstack=$?; /opt/progs/static; echo static=$?
    /opt/progs/dlopen /opt/libs/libplain.so; /opt/progs/dlopen /opt/libs/libexecstack.so; echo dlopen=$?'
  assert_eq "$(sed -n '1,4p;6p' <<<"$output")" $'execstack=126\nhello from static\nstatic=0\ndlopen ok\ndlopen=1'
  assert_contains "$(sed -n 5p <<<"$output")" "dlopen failed: /opt/libs/libexecstack.so: "
  assert_not_contains "$output" "hello from execstack"
  assert_contains "$stderr" "/opt/progs/execstack: Permission denied"
  assert_audit "$ID" exec.deny_execstack deny /opt/progs/execstack
  assert_audit "$ID" exec.deny_execstack deny /opt/libs/libexecstack.so
  refute_audit "$ID" /opt/libs/libplain.so
}

@test "exec verify: deny_elf32 refuses a 32-bit program" {
  [ -z "$ELF32_SKIP" ] || skip "$ELF32_SKIP"
  policy p '{"deny_elf32": true}'
  run_under "$ID" p sh -c '/opt/progs/elf32; echo elf32=$?; /opt/progs/static'
  assert_eq "$output" $'elf32=126\nhello from static'
  assert_contains "$stderr" "/opt/progs/elf32: Permission denied"
  assert_audit "$ID" exec.deny_elf32 deny /opt/progs/elf32
}

@test "exec verify: deny_static refuses a static program, deny_dynamic a dynamic one" {
  # busybox is static: under deny_static the container's process is spawn, a dynamic PIE.
  policy static '{"deny_static": true}'
  run_under "$ID" static /opt/progs/spawn /opt/progs/static /opt/progs/pie
  assert_eq "$output" $'/opt/progs/static: EACCES\n/opt/progs/static: exit 126\nhello from pie\n/opt/progs/pie: exit 0'
  assert_audit "$ID" exec.deny_static deny /opt/progs/static
  refute_audit "$ID" /opt/progs/pie

  policy dynamic '{"deny_dynamic": true}'
  run_under "$ID-dyn" dynamic sh -c '/opt/progs/pie; echo pie=$?; /opt/progs/static'
  assert_eq "$output" $'pie=126\nhello from static'
  assert_contains "$stderr" "/opt/progs/pie: Permission denied"
  assert_audit "$ID-dyn" exec.deny_dynamic deny /opt/progs/pie
  refute_audit "$ID-dyn" /opt/progs/static
}

@test "exec verify: checksums let a listed file with its digest run; a changed one and, with unlisted deny, an unlisted one are refused" {
  local busybox pie_sum static_sum
  busybox=$(sha256_of /bin/busybox)
  pie_sum=$(sha256_of /opt/progs/pie)
  static_sum=$(sha256_of /opt/progs/static)
  # /opt/progs/static listed with another file's digest, as if it had been replaced.
  policy p '{"checksums": {"/bin/busybox": "sha256:'"$busybox"'", "/opt/progs/static": "sha256:'"$pie_sum"'"},
    "unlisted": "deny"}'
  run_under "$ID" p sh -c '/bin/echo listed; /opt/progs/static; echo static=$?; /opt/progs/execstack; echo execstack=$?'
  assert_eq "$output" $'listed\nstatic=126\nexecstack=126'
  assert_audit "$ID" exec.checksums deny /opt/progs/static
  assert_eq "$(jq -r .detail <<<"$AUDIT")" "expected sha256:$pie_sum found sha256:$static_sum"
  assert_audit "$ID" exec.unlisted deny /opt/progs/execstack
  refute_audit "$ID" /bin/busybox

  # unlisted allow: only the listed files are checked.
  policy allow '{"checksums": {"/opt/progs/static": "sha256:'"$pie_sum"'"}, "unlisted": "allow"}'
  run_under "$ID-allow" allow sh -c '/opt/progs/execstack; /opt/progs/static; echo static=$?'
  assert_eq "$output" $'hello from execstack\nstatic=126'
  assert_audit "$ID-allow" exec.checksums deny /opt/progs/static
  refute_audit "$ID-allow" /opt/progs/execstack
}

@test "exec verify: the output of vigil policy hash pasted into a policy's checksums works" {
  local hashes how="vigil policy hash"
  run vigil policy hash --root-dir "$XROOTFS" /bin/busybox /opt/progs/static
  if [ "$status" -ne 0 ]; then
    # Not there yet: the same lines from sha256sum.
    printf '# vigil policy hash failed (%s): %s; using sha256sum\n' "$status" "$output" >&3
    how=sha256sum
    output=$(printf '"%s": "sha256:%s",\n' /bin/busybox "$(sha256_of /bin/busybox)" /opt/progs/static "$(sha256_of /opt/progs/static)")
  fi
  hashes=$output
  local line
  while IFS= read -r line; do
    [[ "$line" =~ ^\ *\"(/[^\"]+)\":\ \"sha256:([0-9a-f]{64})\",?$ ]] || fail "$how printed a line not \"PATH\": \"sha256:HEX\",: $line"
    assert_eq "${BASH_REMATCH[2]}" "$(sha256_of "${BASH_REMATCH[1]}")"
  done <<<"$hashes"
  assert_eq "$(grep -c . <<<"$hashes")" 2
  # Pasted as printed, the last line's comma dropped.
  policy p '{"unlisted": "deny", "checksums": {'"$(sed '$ s/,$//' <<<"$hashes")"'}}'
  run_under "$ID" p sh -c '/opt/progs/static; echo static=$?; /opt/progs/execstack; echo execstack=$?'
  assert_eq "$output" $'hello from static\nstatic=0\nexecstack=126'
  assert_audit "$ID" exec.unlisted deny /opt/progs/execstack
  refute_audit "$ID" /opt/progs/static
}

@test "exec verify: tpe refuses programs in a world-writable or untrusted directory, not in root's" {
  policy p '{"tpe": {"enabled": true, "trusted_uids": [0]}}'
  run_under "$ID" p sh -c '/opt/progs/static; echo static=$?; /opt/progs/pie; echo pie=$?
    /ww/static; echo ww=$?; /untrusted/static; echo untrusted=$?'
  assert_eq "$output" $'hello from static\nstatic=0\nhello from pie\npie=0\nww=126\nuntrusted=126'
  assert_contains "$stderr" "/ww/static: Permission denied"
  assert_audit "$ID" exec.tpe deny /ww/static
  assert_audit "$ID" exec.tpe deny /untrusted/static
  refute_audit "$ID" /opt/progs/static
  refute_audit "$ID" /bin/busybox
}

@test "exec verify: #! scripts are checked by path, and their interpreter as a program" {
  policy p '{"rules": [{"path": "/opt/interp/**", "action": "deny"}, {"path": "/opt/denied/**", "action": "deny"}]}'
  run_under "$ID" p sh -c '/scripts/ok.sh; echo ok=$?; /scripts/bad-interp.sh; echo interp=$?
    /opt/denied/script.sh; echo script=$?'
  assert_eq "$output" $'script ok\nok=0\ninterp=126\nscript=126'
  assert_contains "$stderr" "/scripts/bad-interp.sh: Permission denied"
  assert_contains "$stderr" "/opt/denied/script.sh: Permission denied"
  assert_audit "$ID" 'exec.rules[0]' deny /opt/interp/sh
  assert_audit "$ID" 'exec.rules[1]' deny /opt/denied/script.sh
  refute_audit "$ID" /scripts/ok.sh
}

@test "exec verify: a file with the exec bit that is neither ELF nor a script is refused" {
  policy p '{"default": "allow"}'
  run_under "$ID" p sh -c '/opt/data/nonelf; echo rc=$?'
  # Refused with EACCES, not ENOEXEC: the shell does not fall back to reading it as a script.
  assert_eq "$output" rc=126
  assert_contains "$stderr" "/opt/data/nonelf: Permission denied"
  assert_audit "$ID" exec.elf deny /opt/data/nonelf
  # A name that is not UTF-8 is refused and audited the same (the bytes replaced), and the
  # supervisor carries on.
  cp "$XROOTFS/opt/data/nonelf" "$XROOTFS/opt/data/bad"$'\xff\xfe'"name"
  run_under "$ID-odd" p sh -c '/opt/data/bad*name; echo rc=$?; /opt/progs/static'
  rm -f "$XROOTFS/opt/data/bad"*
  assert_eq "$output" $'rc=126\nhello from static'
  assert_audit "$ID-odd" exec.elf deny
}

# ---- attacks -------------------------------------------------------------------------------

@test "exec verify: deny_ldso refuses running a program through the loader, and libc as a program" {
  policy p '{"deny_ldso": true}'
  run_under "$ID" p sh -c "/opt/progs/pie; echo pie=\$?; $LDSO /opt/progs/pie; echo ldso=\$?; $LIBC; echo libc=\$?"
  assert_eq "$output" $'hello from pie\npie=0\nldso=126\nlibc=126'
  assert_contains "$stderr" "$LDSO: Permission denied"
  assert_audit "$ID" exec.deny_ldso deny "$LDSO_REAL"
  assert_audit "$ID" exec.deny_ldso deny "$LIBC"
}

@test "exec verify: without deny_ldso, the loader cannot map a denied program: it never runs" {
  policy p '{"rules": [{"path": "/opt/denied/**", "action": "deny"}]}'
  run_under "$ID" p sh -c "$LDSO /opt/denied/prog; echo ldso=\$?; /opt/denied/prog; echo direct=\$?"
  assert_not_contains "$output" "hello from denied"
  assert_not_contains "$output" "ldso=0"
  assert_contains "$output" "direct=126"
  assert_contains "$stderr" "/opt/denied/prog"
  assert_audit "$ID" 'exec.rules[0]' deny /opt/denied/prog
  local mapped
  mapped=$(jq -c 'select(.syscall == "mmap" or .syscall == "mprotect")' <<<"$AUDIT")
  [ -n "$mapped" ] || fail "no audit line for the loader's mmap of /opt/denied/prog: $AUDIT"
  [ -n "$(jq -c 'select(.syscall == "execve")' <<<"$AUDIT")" ] || fail "no audit line for the direct exec: $AUDIT"
  refute_audit "$ID" "$LDSO_REAL"
}

@test "exec verify: exec through a symlink is judged by the file it resolves to" {
  policy p '{"rules": [{"path": "/opt/denied/**", "action": "deny"}]}'
  run_under "$ID" p sh -c '/bin/sneaky; echo rc=$?'
  assert_eq "$output" rc=126
  assert_contains "$stderr" "/bin/sneaky: Permission denied"
  assert_audit "$ID" 'exec.rules[0]' deny /opt/denied/prog
  refute_audit "$ID" /bin/sneaky
}

@test "exec verify: fileless exec (memfd, fexecve, O_PATH of a deleted file) is refused unless allow_memfd" {
  cfg set /root/readonly false
  local script='for m in memfd fexecve opath-deleted; do /opt/progs/fileless $m /opt/progs/static; echo $m=$?; done'
  policy p '{"default": "allow"}'
  run_under "$ID" p sh -c "$script"
  assert_eq "$output" $'fileless: memfd: EACCES\nmemfd=126\nfileless: fexecve: EACCES\nfexecve=126\nfileless: opath-deleted: EACCES\nopath-deleted=126'
  assert_audit "$ID" exec.allow_memfd deny
  assert_eq "$(grep -c . <<<"$AUDIT")" 3
  assert_eq "$(jq -r .syscall <<<"$AUDIT" | sort -u)" execveat

  policy memfd '{"default": "allow", "allow_memfd": true}'
  run_under "$ID-allowed" memfd sh -c "$script"
  assert_eq "$output" $'hello from static\nmemfd=0\nhello from static\nfexecve=0\nhello from static\nopath-deleted=0'
  refute_audit "$ID-allowed"
}

@test "exec verify: deny_wx refuses memory both writable and executable, by mmap and by mprotect" {
  policy p '{"deny_wx": true}'
  run_under "$ID" p /opt/progs/wx
  assert_eq "$output" $'mmap wx: EACCES\nmprotect wx: EACCES\nmprotect rx: ok'
  assert_audit "$ID" exec.deny_wx deny
  assert_eq "$(jq -r .syscall <<<"$AUDIT" | sort | tr '\n' ' ')" "mmap mprotect "

  policy allow '{"deny_wx": false}'
  run_under "$ID-allowed" allow /opt/progs/wx
  assert_eq "$output" $'mmap wx: ok\nmprotect wx: ok\nmprotect rx: ok'
  refute_audit "$ID-allowed"
}

@test "exec verify: vigil exec into a supervised container is verified too" {
  policy p '{"rules": [{"path": "/opt/denied/**", "action": "deny"}]}'
  cfg set /process/args "$(json_array sh -c 'echo ready; while :; do sleep 1; done')"
  leave_running "$ID" --policy "$T/p.json" run -d --bundle "$BUNDLE"
  assert_status 0
  wait_ready "$ID"
  exec_fg "$ID" sh -c '/opt/progs/static; /opt/denied/prog; echo rc=$?'
  assert_status 0
  assert_eq "$output" $'hello from static\nrc=126'
  assert_contains "$stderr" "/opt/denied/prog: Permission denied"
  # The process vigil exec starts is checked itself.
  exec_fg "$ID" /opt/denied/prog
  [ "$status" -ne 0 ] || fail "vigil exec of a denied program succeeded: $output"
  assert_not_contains "$output" "hello from denied"
  assert_audit "$ID" 'exec.rules[0]' deny /opt/denied/prog
  assert_eq "$(grep -c . <<<"$AUDIT")" 2
  vigil delete --force "$ID"
  assert_clean
}

@test "exec verify: a race swapping a denied binary in and out at a checked path never runs it" {
  cfg set /root/readonly false
  # Content decides: /race/target may only be the allowed binary.
  policy p '{"checksums": {"/race/target": "sha256:'"$(sha256_of /race/allowed)"'"}, "unlisted": "allow"}'
  WAIT_FOR_S=180 run_under "$ID" p /opt/progs/race /race /race/denied /race/allowed 2000
  local summary
  summary=$(grep '^race: ' <<<"$output") || fail "no summary from the race: $output $stderr"
  printf '# supervised: %s\n' "$summary" >&3
  assert_not_contains "$output" MARKER
  assert_eq "$(race_count "$summary" marker)" 0
  assert_eq "$(race_count "$summary" errno)" 0
  assert_eq "$(race_count "$summary" other)" 0
  local allowed refused
  allowed=$(race_count "$summary" allowed)
  refused=$(($(race_count "$summary" eacces) + $(race_count "$summary" killed)))
  [ "$allowed" -gt 0 ] || fail "the allowed binary never ran: $summary"
  [ "$refused" -gt 0 ] || fail "the denied binary was never refused (did the swap run?): $summary"
  # The mismatch is what refused it, one audit line per refusal.
  assert_audit "$ID" exec.checksums deny /race/target
  assert_eq "$(audit_select "$ID" '.subject == "/race/target"' | grep -c .)" "$refused"
}
