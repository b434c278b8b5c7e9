#!/bin/bash
# Start-up on a modern host: tests/bench/startup.sh (vigil against Debian's runc, side by side)
# inside the guest of tests/guest (systemd, cgroup v2 alone, Linux 6.1; qemu's emulation
# where there is no KVM, so times are the guest's, ratios still side by side).
set -eu
echo "== in the guest (tests/guest): systemd, cgroup v2 alone, Linux 6.1"
tests/guest/run tests/bench/startup.sh || echo "guest start-up: skipped, the guest could not run it"
