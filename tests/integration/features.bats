#!/usr/bin/env bats
# vigil features: what it claims, checked against what it does for a sample of claims.

load helpers

setup() { vigil_setup; }
teardown() { vigil_teardown; }

feature() { json_get "$1" <"$T/features"; }

@test "features: the JSON of features.md, and a sample of its claims holds" {
  run --separate-stderr vigil features
  assert_status 0
  printf '%s\n' "$output" >"$T/features"
  assert_eq "$(feature /ociVersionMin)" 1.0.0
  assert_eq "$(feature /ociVersionMax)" 1.2.0
  assert_eq "$(feature /hooks)" '["prestart","createRuntime","createContainer","startContainer","poststart","poststop"]'
  assert_eq "$(feature /linux/cgroup/v1)" true
  assert_eq "$(feature /linux/cgroup/systemd)" true
  assert_eq "$(feature /linux/seccomp/enabled)" true
  assert_contains "$(feature /linux/capabilities)" '"CAP_KILL"'
  assert_contains "$(feature /linux/namespaces)" '"time"'
  assert_contains "$(feature /mountOptions)" '"rro"'
  assert_contains "$(feature /linux/seccomp/actions)" '"SCMP_ACT_LOG"'
  assert_contains "$(feature /linux/seccomp/operators)" '"SCMP_CMP_MASKED_EQ"'
  # The host's Landlock ABI: a number, 0 where the kernel's LSMs (when securityfs says) lack Landlock.
  local abi
  abi=$(feature /annotations/run.vigil.host.landlock_abi)
  [[ $abi =~ ^[0-9]+$ ]] || fail "Landlock ABI \"$abi\""
  if [ -r /sys/kernel/security/lsm ] && ! grep -qw landlock /sys/kernel/security/lsm; then assert_eq "$abi" 0; fi
  # A listed mount option works: rro makes a recursive bind read-only.
  mkdir -p "$T/src/sub"
  cfg append /mounts '{"destination":"/tmp","type":"tmpfs","source":"tmpfs"}'
  cfg append /mounts "{\"destination\":\"/tmp/mnt\",\"type\":\"bind\",\"source\":\"$T/src\",\"options\":[\"rbind\",\"rro\"]}"
  # A listed namespace and seccomp action are accepted, and AppArmor is as claimed.
  cfg append /linux/namespaces '{"type":"time"}'
  cfg set /linux/seccomp '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getppid"],"action":"SCMP_ACT_LOG"}]}'
  cmd 'touch /tmp/mnt/x 2>/dev/null || echo ro; readlink /proc/self/ns/time'
  run_fg "$ID"
  assert_status 0
  assert_eq "${lines[0]}" ro
  assert_contains "${lines[1]}" "time:["
  cfg set /process/apparmorProfile '"docker-default"'
  create "$ID-aa"
  if [ "$(feature /linux/apparmor/enabled)" = false ]; then
    assert_status 1
    assert_contains "$output" "AppArmor is not enabled on this host"
  fi
  assert_clean
}

@test "features: the run.vigil.* annotations it lists, with their values, are the ones create accepts" {
  local listed entry key values value accepted n=0
  listed=$(vigil features | json_get /annotations | grep -o '"run\.vigil\.[a-z_.]*":"[a-z]*\(|[a-z]*\)*"' | tr -d '"')
  assert_contains "$listed" "run.vigil.supervise:true|false"
  assert_contains "$listed" "run.vigil.exec.default:allow|warn|deny|kill"
  assert_contains "$listed" "run.vigil.exec.tpe.enabled:true|false"
  cmd 'true'
  for entry in $listed; do
    key=${entry%%:*} values=${entry#*:} accepted=0
    for value in ${values//|/ }; do
      n=$((n + 1))
      cfg set /annotations "{\"$key\": \"$value\"}"
      create "$ID-$n"
      # No host policy here: a value looser than the default is refused as such, never as unknown.
      if [ "$status" -eq 0 ]; then
        accepted=1
        vigil delete --force "$ID-$n"
      elif [[ $output == *"needs the supervisor"* ]]; then
        # A paths.default of warn, deny or kill alone leaves reads to the supervisor, which
        # this unsupervised container has not, and chmod and chown, which its path checks do
        # not cover yet (docs/POLICY.md, the paths section).
        assert_eq "$key" run.vigil.paths.default
      else
        assert_contains "$output" "annotation $key: ${key#run.vigil.}=$value would loosen the host's policy"
      fi
    done
    [ "$accepted" = 1 ] || fail "create accepts no value of $key"
  done
  cfg set /annotations '{"run.vigil.not_a_key": "true"}'
  run_fg "$ID-bad"
  assert_status 1
  assert_contains "$stderr" "not_a_key is not a policy key"
  assert_clean
}
