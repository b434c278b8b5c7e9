#!/usr/bin/env bats
# Many vigil commands at once: distinct ids do not disturb each other, one id is taken once.

load helpers

setup() { vigil_setup; }
teardown() { vigil_teardown; }

@test "concurrency: 20 containers created in parallel all reach created; deleted in parallel, nothing is left" {
  local i pids=()
  for i in $(seq 1 20); do
    (
      create "$ID-$i"
      echo "$status" >"$T/create-$i.rc"
    ) 3>&- &
    pids+=($!)
  done
  wait "${pids[@]}"
  for i in $(seq 1 20); do
    assert_eq "$(cat "$T/create-$i.rc")" 0 || fail "create $ID-$i: $(cat "$(err_file "$ID-$i")")"
  done
  for i in $(seq 1 20); do
    assert_eq "$(state_of "$ID-$i" status)" created
  done
  run --separate-stderr vigil list -q
  assert_status 0
  assert_eq "${#lines[@]}" 20
  # 20 distinct init processes.
  run --separate-stderr vigil list --format json
  local all_pids=()
  for i in $(seq 0 19); do all_pids+=("$(json_get "/$i/pid" <<<"$output")"); done
  assert_eq "$(printf '%s\n' "${all_pids[@]}" | sort -u | wc -l)" 20

  pids=()
  for i in $(seq 1 20); do
    (
      rc=0
      vigil delete --force "$ID-$i" 2>"$T/delete-$i.err" || rc=$?
      echo "$rc" >"$T/delete-$i.rc"
    ) 3>&- &
    pids+=($!)
  done
  wait "${pids[@]}"
  for i in $(seq 1 20); do
    assert_eq "$(cat "$T/delete-$i.rc")" 0 || fail "delete $ID-$i: $(cat "$T/delete-$i.err")"
  done
  run --separate-stderr vigil list -q
  assert_eq "$output" ""
  assert_clean
}

@test "concurrency: of 10 parallel creates with the same id exactly one succeeds" {
  mkdir "$T/shared"
  cfg append /mounts "{\"destination\":\"/root\",\"type\":\"bind\",\"source\":\"$T/shared\",\"options\":[\"rbind\",\"rw\"]}"
  cmd 'echo ran >>/root/marker'
  local i pids=()
  for i in $(seq 1 10); do
    (
      status=0
      timeout 20 "$VIGIL" --root "$STATE" create --bundle "$BUNDLE" "$ID" \
        >"$T/create-$i.out" 2>"$T/create-$i.err" </dev/null || status=$?
      echo "$status" >"$T/create-$i.rc"
    ) 3>&- &
    pids+=($!)
  done
  remember_id "$ID"
  wait "${pids[@]}"
  local ok=0 failed=0
  for i in $(seq 1 10); do
    if [ "$(cat "$T/create-$i.rc")" = 0 ]; then
      ok=$((ok + 1))
    else
      failed=$((failed + 1))
      assert_eq "$(cat "$T/create-$i.rc")" 1
      assert_contains "$(cat "$T/create-$i.err")" "container $ID already exists"
    fi
  done
  assert_eq "$ok" 1
  assert_eq "$failed" 9
  # The winner is intact and runs its program once.
  assert_eq "$(state_of "$ID" status)" created
  start_ok "$ID"
  wait_status "$ID" stopped
  assert_eq "$(cat "$T/shared/marker")" ran
}

@test "concurrency: of 10 parallel starts of one container exactly one succeeds, and it runs once" {
  mkdir "$T/shared"
  cfg append /mounts "{\"destination\":\"/root\",\"type\":\"bind\",\"source\":\"$T/shared\",\"options\":[\"rbind\",\"rw\"]}"
  cmd 'echo ran >>/root/marker'
  create_ok "$ID"
  local i pids=()
  for i in $(seq 1 10); do
    (
      rc=0
      vigil start "$ID" 2>"$T/start-$i.err" || rc=$?
      echo "$rc" >"$T/start-$i.rc"
    ) 3>&- &
    pids+=($!)
  done
  wait "${pids[@]}"
  local ok=0
  for i in $(seq 1 10); do
    if [ "$(cat "$T/start-$i.rc")" = 0 ]; then
      ok=$((ok + 1))
    else
      assert_contains "$(cat "$T/start-$i.err")" "cannot start container $ID"
    fi
  done
  assert_eq "$ok" 1
  wait_status "$ID" stopped
  assert_eq "$(cat "$T/shared/marker")" ran
}
