#!/usr/bin/env bash
# Builds everything with warnings as errors and runs every test (C++, CLI cases, C ABI, Python, Go, package).
# Usage: scripts/test.sh            (installs missing Debian packages first when run as root)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export LC_SHARED_DIR="${LC_SHARED_DIR:-$(cd .. && pwd)/shared}"
if [ ! -d "$LC_SHARED_DIR/cases" ] || [ ! -d "$LC_SHARED_DIR/data" ]; then
  echo "test.sh: the shared data and cases are missing at $LC_SHARED_DIR (set LC_SHARED_DIR)" >&2
  exit 1
fi
cmake --preset ci -DLC_SHARED_DIR="$LC_SHARED_DIR" >/dev/null
cmake --build --preset ci -j2
ctest --test-dir build/ci --output-on-failure -j2 --timeout 900
