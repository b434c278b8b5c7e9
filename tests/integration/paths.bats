#!/usr/bin/env bats
# The paths section (docs/POLICY.md): so far its Landlock scopes. With
# scope.abstract_unix_sockets a container cannot connect to an abstract unix socket made
# outside it, with scope.signals it cannot signal a process outside it; both matter when it
# shares the host's network or pid namespace (CVE-2020-15257: a host-network container
# reached containerd-shim's abstract socket). tests/exec/abstract listens or connects.

load helpers

setup_file() { file_rootfs abstract; }

setup() {
  vigil_setup
  cfg set /root/path "$(json_str "$FILE_ROOTFS")"
  # The host's network and pid namespaces: what the scopes are for.
  cfg set /linux/namespaces '[{"type": "mount"}, {"type": "ipc"}, {"type": "uts"}]'
  printf '{"version": 1, "paths": {"scope": {"abstract_unix_sockets": true, "signals": true}}}\n' >"$T/scope.json"
}
teardown() { vigil_teardown; }

# host_listener: a host process listening on abstract socket @$SOCKET; its pid in $BG_PID.
host_listener() {
  SOCKET=vigil-test-$ID
  bg "$REPO/build/tests/exec/abstract" listen "$SOCKET" >"$T/listener.out"
  wait_for file_has "$T/listener.out" listening
}

# in_container ID FLAGS... -- SCRIPT: runs sh -c SCRIPT in a container, to its end; sets
# status, output and stderr.
in_container() {
  local id=$1
  shift
  local flags=()
  while [ "$1" != -- ]; do flags+=("$1"); shift; done
  cmd "$2"
  leave_running "$id" "${flags[@]}" run --bundle "$BUNDLE"
  output=$(container_output "$id")
  stderr=$(container_stderr "$id")
}

@test "paths: scope.abstract_unix_sockets keeps a host-network container off the host's abstract sockets" {
  host_listener
  in_container "$ID" -- "abstract connect $SOCKET"
  assert_eq "$output" connected
  in_container "$ID-s" --policy "$T/scope.json" -- "abstract connect $SOCKET"
  assert_eq "$output" "refused: EPERM"
  # Its own abstract sockets it still reaches.
  in_container "$ID-own" --policy "$T/scope.json" -- "abstract self own-$ID"
  assert_eq "$output" connected
}

@test "paths: scope.signals keeps a host-pid container from signalling host processes" {
  sleep 1000 </dev/null 3>&- &
  local victim=$!
  echo "$victim" >>"$T/bgpids"
  in_container "$ID" -- "kill -0 $victim && echo signalled"
  assert_eq "$output" signalled
  in_container "$ID-s" --policy "$T/scope.json" -- "kill -0 $victim && echo signalled"
  assert_eq "$output" ""
  assert_contains "$stderr" "Operation not permitted"
  # Its own processes it still signals.
  in_container "$ID-own" --policy "$T/scope.json" -- 'sleep 100 & kill $! && wait $!; echo "status $?"'
  assert_eq "$output" "status 143"
}

@test "paths: the scopes hold in processes vigil exec starts, and come from annotations too" {
  host_listener
  cmd 'sleep 60'
  cfg set /annotations '{"run.vigil.paths.scope.abstract_unix_sockets": "true"}'
  leave_running "$ID" run --detach --bundle "$BUNDLE"
  [ "$status" -eq 0 ] || fail "run --detach failed ($status): $output"
  assert_eq "$(vigil exec "$ID" abstract connect "$SOCKET")" "refused: EPERM"
  # An annotation may not loosen what the policy sets.
  cfg set /annotations '{"run.vigil.paths.scope.signals": "false"}'
  leave_running "$ID-l" --policy "$T/scope.json" create --bundle "$BUNDLE"
  [ "$status" -ne 0 ] || fail "an annotation turned scope.signals off"
  assert_contains "$output" "run.vigil.paths.scope.signals"
}
