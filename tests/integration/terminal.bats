#!/usr/bin/env bats
# Terminals: process.terminal with --console-socket (the master handed out as runc does), and
# run/exec in the foreground, where vigil proxies the terminal itself. pty_driver plays the
# user at a terminal; console_receiver plays conmon or the containerd shim.

load helpers

setup() {
  vigil_setup
  PTY=$REPO/build/tests/pty_driver
  RECEIVER=$REPO/build/tests/console_receiver
  cfg set /process/terminal true
}
teardown() { vigil_teardown; }

# at_terminal [pty_driver ARGS...] -- VIGIL-ARGS...: vigil, with the test's state root, on a
# new terminal driven by pty_driver. Sets status and output (what appeared on the terminal).
at_terminal() {
  local args=()
  while [ "$1" != -- ]; do
    args+=("$1")
    shift
  done
  shift
  status=0
  output=$("$PTY" --timeout 15 "${args[@]}" -- "$VIGIL" --root "$STATE" "$@" 2>"$T/pty.err" 3>&-) || status=$?
  [ "$status" -ne 124 ] && [ "$status" -ne 125 ] || fail "pty_driver: $(cat "$T/pty.err"); terminal showed: $output"
}

# receive_console SOCKET [INPUT]: console_receiver in the background, listening on SOCKET and
# typing INPUT; what the container writes goes to $T/console.out.
receive_console() {
  bg "$RECEIVER" "$1" "$T/console.out" "${2:-}"
  RECEIVER_PID=$BG_PID
  wait_for test -S "$1"
}

receiver_done() { ! kill -0 "$RECEIVER_PID" 2>/dev/null; }

@test "terminal: run in the foreground gets a pty of its own, sized like ours, and keeps the exit code" {
  remember_id "$ID"
  cmd 'tty; stty size; stat -c "%F %t:%T" /dev/console; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo all-ttys; exit 3'
  at_terminal --size 33x77 -- run --bundle "$BUNDLE" "$ID"
  assert_status 3
  assert_eq "$output" $'/dev/pts/0\n33 77\ncharacter special file 88:0\nall-ttys'
  assert_clean
}

@test "terminal: an interactive shell reads what we type and exits with its status" {
  remember_id "$ID"
  cfg set /process/args '["sh"]'
  at_terminal 'expect=# ' 'send=echo sum=$((40+2))\r' 'expect=sum=42' 'send=exit 5\r' -- run --bundle "$BUNDLE" "$ID"
  assert_status 5
  assert_contains "$output" "sum=42"
  # Echoed once, by the container's terminal: ours is in raw mode meanwhile.
  assert_eq "$(grep -o 'echo sum=' <<<"$output" | wc -l)" 1
  assert_clean
}

@test "terminal: a resize of our terminal reaches the container as SIGWINCH with the new size" {
  remember_id "$ID"
  cmd 'trap "stty size" WINCH; echo ready; read x; echo done'
  at_terminal 'expect=ready' 'resize=40x120' 'expect=40 120' 'send=\r' 'expect=done' -- run --bundle "$BUNDLE" "$ID"
  assert_status 0
  assert_clean
}

@test "terminal: ^C is the container's SIGINT, not vigil's" {
  remember_id "$ID"
  cmd 'trap "echo got-int; exit 7" INT; echo ready; read x; echo no-int'
  at_terminal 'expect=ready' 'send=\x03' 'expect=got-int' -- run --bundle "$BUNDLE" "$ID"
  assert_status 7
  assert_not_contains "$output" no-int
  assert_clean
}

@test "terminal: our terminal's modes are restored after run" {
  remember_id "$ID"
  cmd 'exit 0'
  status=0
  output=$("$PTY" --timeout 15 -- sh -c 'stty -g; "$0" --root "$1" run --bundle "$2" "$3"; stty -g' \
    "$VIGIL" "$STATE" "$BUNDLE" "$ID" 2>&1 3>&-) || status=$?
  assert_status 0
  mapfile -t lines <<<"$output"
  [ "${#lines[@]}" -eq 2 ] || fail "expected two stty lines, got: $output"
  assert_eq "${lines[1]}" "${lines[0]}"
  assert_clean
}

@test "terminal: create --console-socket sends the master; consoleSize, the user's pty, /dev/console" {
  receive_console "$T/console.sock" $'hello\n'
  cfg set /process/consoleSize '{"height":25,"width":90}'
  cfg set /process/user '{"uid":1000,"gid":1000}'
  cmd 'read line; echo got=$line; tty; stty size; stat -c "%u %t:%T" $(tty) /dev/console'
  create_ok "$ID" --console-socket "$T/console.sock"
  wait_for file_has "$T/console.out.name" /dev/ptmx
  start_ok "$ID"
  wait_status "$ID" stopped
  wait_for receiver_done
  # The terminal echoes what was typed, then the program's lines.
  assert_eq "$(tr -d '\r' <"$T/console.out")" $'hello\ngot=hello\n/dev/pts/0\n25 90\n1000 88:0\n1000 88:0'
  # Nothing of the terminal reached vigil's own stdio.
  assert_eq "$(container_output "$ID")" ""
  vigil delete "$ID"
  assert_clean
}

@test "terminal: a console socket at a path longer than a unix socket address" {
  local dir=$T/$(printf 'd%.0s' {1..60})/$(printf 'e%.0s' {1..60})
  mkdir -p "$dir"
  receive_console "$dir/console.sock"
  cmd 'echo via-long-path'
  create_ok "$ID" --console-socket "$dir/console.sock"
  start_ok "$ID"
  wait_for receiver_done
  assert_eq "$(tr -d '\r' <"$T/console.out")" via-long-path
  vigil delete "$ID"
  assert_clean
}

@test "terminal: exec --tty in the foreground, and exec -d -t --console-socket" {
  cfg set /process/terminal false
  cmd 'echo ready; while :; do sleep 1; done'
  run_detached_ok "$ID"
  wait_ready "$ID"
  at_terminal --size 11x22 -- exec -t "$ID" sh -c 'tty; stty size; exit 4'
  assert_status 4
  assert_eq "$output" $'/dev/pts/0\n11 22'
  receive_console "$T/console.sock"
  vigil exec -d -t --console-socket "$T/console.sock" --pid-file "$T/exec.pid" "$ID" sh -c '[ -t 1 ] && echo exec-tty'
  wait_for receiver_done
  assert_eq "$(tr -d '\r' <"$T/console.out")" exec-tty
  # --process with "terminal": true asks for one too.
  echo '{"args":["tty"],"cwd":"/","terminal":true,"user":{"uid":0,"gid":0}}' >"$T/p.json"
  at_terminal -- exec --process "$T/p.json" "$ID"
  assert_status 0
  [[ "$output" =~ ^/dev/pts/[0-9]+$ ]] || fail "expected a /dev/pts/N, got: $output"
  vigil delete --force "$ID"
  assert_clean
}

@test "terminal: wrong combinations of terminal and console socket fail clearly and leave nothing" {
  create "$ID"
  assert_status 1
  assert_contains "$output" "process.terminal is true, but a detached process's terminal needs --console-socket"
  run_detached "$ID"
  assert_status 1
  assert_contains "$output" "needs --console-socket"
  create "$ID" --console-socket "$T/nobody.sock"
  assert_status 1
  assert_contains "$output" "--console-socket: connect to $T/nobody.sock: ENOENT"
  run_fg "$ID" --console-socket "$T/nobody.sock"
  assert_status 1
  assert_contains "$stderr" "--console-socket is only for a detached process"
  cfg set /process/terminal false
  create "$ID" --console-socket "$T/nobody.sock"
  assert_status 1
  assert_contains "$output" "--console-socket needs a terminal (process.terminal or --tty)"
  cmd 'echo ready; while :; do sleep 1; done'
  run_detached_ok "$ID"
  wait_ready "$ID"
  run vigil exec -d -t "$ID" true
  assert_status 1
  assert_contains "$output" "needs --console-socket"
  run vigil exec --console-socket "$T/nobody.sock" "$ID" true
  assert_status 1
  assert_contains "$output" "--console-socket needs a terminal"
  vigil delete --force "$ID"
  assert_clean
}

@test "terminal: without devpts in the container, create fails naming /dev/ptmx and leaves nothing" {
  receive_console "$T/console.sock"
  assert_eq "$(cfg get /mounts/2/type)" devpts
  cfg del /mounts/2
  create "$ID" --console-socket "$T/console.sock"
  assert_status 1
  assert_contains "$output" "open the container's /dev/ptmx"
  kill "$RECEIVER_PID" 2>/dev/null || true
  assert_clean
}
