#!/usr/bin/env bats
# The command line: version, help, unknown and unimplemented verbs, global flags, logging.

load helpers

setup() { vigil_setup; }
teardown() { vigil_teardown; }

@test "cli: --version and -v print the vigil, spec and libseccomp versions" {
  local flag
  for flag in --version -v; do
    run --separate-stderr "$VIGIL" "$flag"
    assert_status 0
    assert_eq "${#lines[@]}" 3
    [[ "${lines[0]}" =~ ^vigil\ version\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "first line: ${lines[0]}"
    assert_eq "${lines[1]}" "spec: 1.2.0"
    [[ "${lines[2]}" =~ ^libseccomp:\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "third line: ${lines[2]}"
    assert_eq "$stderr" ""
  done
}

@test "cli: --help lists every verb and exits 0" {
  run --separate-stderr "$VIGIL" --help
  assert_status 0
  assert_contains "${lines[0]}" "usage: vigil"
  local verb
  for verb in create start run state kill delete list spec exec ps pause resume update events features; do
    printf '%s\n' "${lines[@]}" | grep -qE "^  $verb( |$)" || fail "--help does not list $verb: $output"
  done
}

@test "cli: an unknown command fails with a one-line message" {
  run --separate-stderr vigil frobnicate
  assert_status 1
  assert_eq "$output" ""
  assert_contains "$stderr" 'unknown command "frobnicate"'
  assert_one_line "$stderr"
}

@test "cli: verbs of later issues exit 1 with \"not implemented yet\"" {
  # These verbs belong to later issues: until one is implemented it must say so, in one line
  # and with exit status 1. Once implemented, it must at least fail cleanly for a missing container.
  local verb unimplemented=0
  for verb in exec ps pause resume update events features; do
    if [ "$verb" = features ]; then
      run --separate-stderr vigil features
    elif [ "$verb" = exec ]; then
      run --separate-stderr vigil exec "$ID" true
    else
      run --separate-stderr vigil "$verb" "$ID"
    fi
    if [[ "$stderr" == *"not implemented yet"* ]]; then
      unimplemented=$((unimplemented + 1))
      assert_status 1
      assert_eq "$output" ""
      [[ "$stderr" =~ ^vigil:\ $verb\ is\ not\ implemented\ yet\ in\ vigil\ [0-9]+\.[0-9]+\.[0-9]+ ]] ||
        fail "unexpected message for $verb: $stderr"
      assert_one_line "$stderr"
    elif [ "$verb" = features ]; then
      assert_status 0
      [[ "$output" == "{"* ]] || fail "features printed no JSON object: $output"
    else
      [ "$status" -ne 0 ] || fail "vigil $verb of a missing container succeeded"
      assert_contains "$stderr" "does not exist"
    fi
  done
  echo "# $unimplemented of 7 verbs are not implemented yet" >&3
}

@test "cli: a verb's missing argument is a usage error" {
  run --separate-stderr vigil state
  assert_status 1
  assert_contains "$stderr" "missing id"
  assert_one_line "$stderr"
}

@test "cli: --root DIR and --root=DIR select the same state root" {
  create_ok "$ID"
  [ -f "$STATE/$ID/state.json" ] || fail "no $STATE/$ID/state.json after create with --root $STATE"
  run --separate-stderr "$VIGIL" --root="$STATE" state "$ID"
  assert_status 0
  assert_eq "$(json_get /status <<<"$output")" created
  run --separate-stderr "$VIGIL" --root "$STATE" list -q
  assert_status 0
  assert_eq "$output" "$ID"
  # Another root knows nothing of it.
  run --separate-stderr "$VIGIL" --root="$T/other-root" state "$ID"
  assert_status 1
  assert_contains "$stderr" "does not exist"
  run "$VIGIL" --root="$STATE" delete --force "$ID"
  assert_status 0
  [ ! -e "$STATE/$ID" ] || fail "$STATE/$ID is left after delete"
  rm -rf "$T/other-root"
}

@test "cli: --log FILE --log-format json appends one JSON line per error" {
  local log=$T/vigil.log
  run --separate-stderr "$VIGIL" --root "$STATE" --log "$log" --log-format json state missing-one
  assert_status 1
  assert_one_line "$stderr"
  assert_contains "$stderr" "container missing-one does not exist"
  [ -f "$log" ] || fail "no log file written"
  assert_eq "$(wc -l <"$log")" 1
  # Same error again: appended, not overwritten.
  run --separate-stderr "$VIGIL" --root "$STATE" --log="$log" --log-format=json state missing-two
  assert_status 1
  assert_one_line "$stderr"
  assert_eq "$(wc -l <"$log")" 2
  local n=0 line
  while IFS= read -r line; do
    n=$((n + 1))
    assert_eq "$(json_get /level <<<"$line")" error
    assert_contains "$(json_get /msg <<<"$line")" "does not exist"
    [[ "$(json_get /time <<<"$line")" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2} ]] ||
      fail "time is not RFC 3339: $line"
  done <"$log"
  assert_eq "$n" 2
  assert_contains "$(sed -n 1p "$log")" "missing-one"
  assert_contains "$(sed -n 2p "$log")" "missing-two"
}

@test "cli: --log-format other than text or json is refused" {
  run --separate-stderr vigil --log-format xml list
  assert_status 1
  assert_contains "$stderr" "--log-format must be text or json"
}

@test "cli: make install puts the binary, the man page and /etc/vigil with its profiles under DESTDIR; uninstall removes them" {
  local dest=$T/dest
  run make -s -C "$REPO" install DESTDIR="$dest"
  assert_status 0
  [ -x "$dest/usr/local/bin/vigil" ] || fail "no $dest/usr/local/bin/vigil"
  [ -d "$dest/etc/vigil" ] || fail "no $dest/etc/vigil"
  local p
  for p in "$REPO"/contrib/policies/*.json; do
    run "$VIGIL" policy check "$dest/etc/vigil/policies/${p##*/}"
    assert_eq "$output" "$dest/etc/vigil/policies/${p##*/}: valid"
  done
  run "$dest/usr/local/bin/vigil" --version
  assert_contains "$output" "vigil version"
  grep -q '^\.TH VIGIL 8' "$dest/usr/local/share/man/man8/vigil.8" || fail "no vigil(8) man page"
  run make -s -C "$REPO" uninstall DESTDIR="$dest"
  assert_status 0
  assert_eq "$(find "$dest" -type f)" ""
}
