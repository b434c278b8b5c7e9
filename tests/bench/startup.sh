#!/bin/bash
# Start-up: N sequential `run` of /bin/true on the same busybox bundle with vigil, runc and
# crun, interleaved so machine noise hits all three alike. Prints medians and ratios.
set -eu
N=${BENCH_N:-100}
work=$(mktemp -d /tmp/vigil-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
bundle=$work/bundle
mkdir -p "$bundle"
# vigil and the rootfs from copies in the work dir, as runc is a local file: where the checkout
# is shared in over 9p (the guest of tests/guest), each exec would read them from the share.
cp build/vigil "$work/vigil-bin"
cp -a build/demo/rootfs "$bundle/rootfs"
build/vigil spec --bundle "$bundle"
build/tests/jsonedit "$bundle/config.json" set /root/path '"rootfs"'
build/tests/jsonedit "$bundle/config.json" set /process/args '["/bin/true"]'
build/tests/jsonedit "$bundle/config.json" set /process/terminal false
# crun 1.8 knows runtime-spec versions up to 1.1 only.
build/tests/jsonedit "$bundle/config.json" set /ociVersion '"1.0.2"'

. tests/bench/lib.sh

run_one() {  # runtime, id
  local name=$1 id=$2
  case $name in
    vigil) timed vigil "$work/vigil-bin" --root "$work/vigil" run --bundle "$bundle" "$id" ;;
    runc) timed runc runc --root "$work/runc" run --bundle "$bundle" "$id" ;;
    crun) timed crun crun --root "$work/crun" run --bundle "$bundle" "$id" ;;
  esac
}

runtimes=(vigil)
command -v runc >/dev/null && runtimes+=(runc)
command -v crun >/dev/null && runtimes+=(crun)
for rt in "${runtimes[@]}"; do run_one "$rt" "warm-$rt"; times[$rt]=""; done
for i in $(seq "$N"); do
  for rt in "${runtimes[@]}"; do run_one "$rt" "b$i-$rt"; done
done

report "start-up: $N sequential runs of /bin/true (median wall time)" "${runtimes[@]}"
