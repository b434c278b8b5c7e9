#!/bin/bash
# make bench: every benchmark, side by side against runc and crun in one run.
set -eu
cd "$(dirname "$0")/../.."
# crun 1.8 refuses hybrid cgroup hosts; in a private mount namespace without the cgroup2
# mount it sees a plain v1 host (../shared/HOST.md). All runtimes run in that same namespace.
# Under the unmounted cgroup2 mount point, crun and podman make plain directories on
# /sys/fs/cgroup's tmpfs, hidden from the host: removed when the benchmarks end.
unshare -m --propagation private bash -c '
  umount /sys/fs/cgroup/unified 2>/dev/null || true
  trap "[ \"\$(stat -f -c %T /sys/fs/cgroup/unified)\" = tmpfs ] && rm -rf /sys/fs/cgroup/unified/*" EXIT
  echo "Times are medians; a ratio is the median of the ratios of runs made side by side."
  tests/bench/startup.sh && tests/bench/supervisor.sh && tests/bench/exec_verify.sh && tests/bench/memory.sh && tests/bench/paths.sh && tests/bench/apt.sh && tests/bench/clients.sh'
# The guest has its own cgroup tree: outside the namespace above.
tests/bench/guest.sh
