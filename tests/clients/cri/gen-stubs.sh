#!/bin/sh
# Python stubs for the CRI (k8s.io/cri-api runtime/v1), which kubelet speaks to containerd.
# The api.proto comes from Debian's containerd source package (vendored there; no binary
# package ships it), minus its gogoproto options; python3-grpc-tools compiles it.
#   gen-stubs.sh OUTDIR   → OUTDIR/api_pb2.py, OUTDIR/api_pb2_grpc.py
set -eu
out=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A private deb-src list, so nothing under /etc changes.
mkdir -p "$work/lists/partial" "$work/src"
printf 'deb-src http://deb.debian.org/debian bookworm main\ndeb-src http://deb.debian.org/debian-security bookworm-security main\n' \
  >"$work/sources.list"
apt_opts="-o APT::Sandbox::User=root -o Dir::Etc::SourceList=$work/sources.list -o Dir::Etc::SourceParts=/nonexistent -o Dir::State::Lists=$work/lists"
# shellcheck disable=SC2086
apt-get $apt_opts update -qq
version=$(dpkg-query -W -f '${Version}' containerd)
# shellcheck disable=SC2086
(cd "$work/src" && apt-get $apt_opts source --download-only -qq "containerd=$version" >/dev/null)
tar -C "$work" -xJf "$work"/src/containerd_*.orig.tar.xz --wildcards '*/vendor/k8s.io/cri-api/pkg/apis/runtime/v1/api.proto'
mkdir -p "$work/proto" "$out"
sed '/gogoproto/d' "$work"/containerd-*/vendor/k8s.io/cri-api/pkg/apis/runtime/v1/api.proto >"$work/proto/api.proto"
/usr/bin/python3 -m grpc_tools.protoc -I"$work/proto" --python_out="$out" --grpc_python_out="$out" "$work/proto/api.proto"
