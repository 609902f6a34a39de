#!/usr/bin/env bash
# cmake --install puts the binary (migrations are compiled in) under a prefix, and the .deb made by
# CPack depends on Debian's runtime packages and runs from a scratch root.
set -euo pipefail
build=$1
scratch=$(mktemp -d /tmp/taskledger-package.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

cmake --install "$build" --prefix "$scratch/prefix" >/dev/null
test -x "$scratch/prefix/bin/taskledger"
(cd / && "$scratch/prefix/bin/taskledger" --version | grep -q '^taskledger ')
# Works from any directory with nothing beside it: the schema is inside the binary.
(cd "$scratch" && "$scratch/prefix/bin/taskledger" --db "$scratch/l.db" init | grep -q 'ready (schema [0-9]*, applied')

(cd "$build" && cpack -G DEB -B "$scratch/deb" >/dev/null)
deb=$(ls "$scratch"/deb/taskledger_*.deb)
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in libpoco libsqlite3 libssl libboost-program-options; do
  grep -q "$lib" <<<"$depends" || { echo "missing runtime dependency on $lib" >&2; exit 1; }
done
dpkg-deb -c "$deb" | grep './usr/bin/taskledger$' >/dev/null
dpkg -x "$deb" "$scratch/root"
"$scratch/root/usr/bin/taskledger" --version
echo "package: ok"
