#!/bin/sh
# make demo: run a busybox container with vigil and show what it sees.
set -e
cd "$(dirname "$0")/.."
bundle=build/demo
rm -f $bundle/config.json
build/vigil spec --bundle $bundle
build/tests/jsonedit $bundle/config.json set /process/terminal false
build/tests/jsonedit $bundle/config.json set /process/args \
  '["sh", "-c", "echo \"hello from $(hostname), a vigil container\"; echo; echo \"pid namespace:\"; ps -o pid,user,comm; echo; echo \"mounts:\"; cut -d\" \" -f5,9 /proc/self/mountinfo | head -8; echo ...; echo; grep Cap /proc/self/status"]'
echo "\$ vigil run --bundle $bundle demo"
build/vigil --root build/demo-state run --bundle $bundle "demo-$$"
