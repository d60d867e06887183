#!/usr/bin/env bash
# Installs the Debian 12 packages LeadCustomers needs to build and test. Idempotent: a no-op when all are
# present. libphonenumber-dev declares a spurious dependency on Boost 1.74's libboost-thread-dev, which
# conflicts with Boost 1.81; a local shim package (Provides libboost-thread-dev, Depends on the 1.81 one)
# resolves it. See docs/decisions.md.
set -euo pipefail

pkgs=(build-essential cmake ninja-build git pkg-config python3 clang-format
      libboost-json1.81-dev libboost1.81-dev libabsl-dev libsodium-dev libutf8proc-dev libidn2-dev libre2-dev
      python3-yaml libsqlite3-dev sqlite3 libpq-dev libgtest-dev libgmock-dev libbenchmark-dev iso-codes
      libprotobuf-dev libicu-dev golang-go abigail-tools libtcmalloc-minimal4)

missing=()
for p in "${pkgs[@]}" libphonenumber-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: these Debian packages are missing: ${missing[*]}" >&2
  echo "install-deps: run this script as root (or: sudo $0)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null

if ! dpkg-query -W -f='${Status}' libphonenumber-dev 2>/dev/null | grep -q 'install ok installed'; then
  shim=$(mktemp -d)
  mkdir -p "$shim/libboost-thread-dev-shim/DEBIAN"
  cat > "$shim/libboost-thread-dev-shim/DEBIAN/control" <<'CTL'
Package: libboost-thread-dev-shim
Version: 1.81.0~local1
Architecture: all
Maintainer: LeadCustomers <root@localhost>
Provides: libboost-thread-dev (= 1.81.0.1)
Depends: libboost-thread1.81-dev
Section: libdevel
Priority: optional
Description: local shim: lets libphonenumber-dev coexist with Boost 1.81
CTL
  dpkg-deb --build "$shim/libboost-thread-dev-shim" "$shim/shim.deb" >/dev/null
  apt-get install -y -qq --no-install-recommends "$shim/shim.deb" libphonenumber-dev >/dev/null
  rm -rf "$shim"
fi
echo "install-deps: all packages present"
