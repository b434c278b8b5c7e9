#!/bin/bash
# make bench: every benchmark, side by side against runc and crun in one run.
set -eu
cd "$(dirname "$0")/../.."
# crun 1.8 refuses hybrid cgroup hosts; in a private mount namespace without the cgroup2
# mount it sees a plain v1 host (../shared/HOST.md). All runtimes run in that same namespace.
exec unshare -m --propagation private bash -c 'umount /sys/fs/cgroup/unified 2>/dev/null || true; tests/bench/startup.sh && tests/bench/supervisor.sh && tests/bench/exec_verify.sh && exec tests/bench/clients.sh'
