#!/bin/sh
# get-by-e-mail through every door, one after the other on the same machine: the C ABI against the direct
# C++ call (Google Benchmark, same process), then Python ctypes and Go cgo (ns/op).
#   bench/capi_bindings.sh BUILD_DIR      (a Release build with -DLC_BUILD_BENCH=ON)
set -eu
build=$(cd "${1:?usage: capi_bindings.sh BUILD_DIR}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
"$build/bench/capi_bench"
echo
PYTHONPATH="$root/capi/python" LEADCUSTOMERS_LIBRARY="$build/lib/libleadcustomers_c.so" \
  python3 "$root/bench/capi_ctypes.py"
echo
cd "$root/capi/go"
PKG_CONFIG_PATH="$build/pkgconfig" LD_LIBRARY_PATH="$build/lib" GOFLAGS=-mod=mod GOPROXY=off \
  GOCACHE="$build/capi/go-home/cache" GOPATH="$build/capi/go-home/path" HOME="$build/capi/go-home" \
  go test -run '^$' -bench GetByEmail -benchtime 2s -count 5 .
