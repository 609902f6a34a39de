# Sourced by the bench scripts: builds taskledger and the local endpoint (RelWithDebInfo) and sets
#   root build tl mock   the tree, the build folder (BUILD_DIR), the two binaries
#   work                 a scratch folder, removed (and background jobs killed) on exit
# and defines stat FILE KEY, a number from the endpoint's statistics file, and local_resolve.
# Usage: source "$(dirname "$0")/common.sh" NAME
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target taskledger taskledger-mock -j"$(nproc)" >/dev/null
tl="$build/taskledger"; mock="$build/taskledger-mock"
work=$(mktemp -d "/tmp/taskledger-bench-$1.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export TENCENTCLOUD_SECRET_ID=AKIDbench000000000000000000000000000
export TENCENTCLOUD_SECRET_KEY=bench-secret-key
# stat FILE KEY: a value from the endpoint's statistics (python-free: grep over one line).
stat() { tr -d '\n ' <"$1" | grep -o "\"$2\":[0-9]*" | head -1 | cut -d: -f2; }
# local_resolve PORT_FILE UNREACHABLE_HOST(or -) HOST...: waits (up to 10 s) for the local
# endpoint's port file, then sets RESOLVE to --resolve flags sending each HOST there; the
# unreachable host goes to port 1, where nothing listens, so the connection is refused and
# the region parked.
local_resolve() {
  local file=$1 unreachable=$2 port h; shift 2
  for _ in $(seq 100); do [[ -s "$file" ]] && break; sleep 0.1; done
  port=$(cat "$file")
  RESOLVE=()
  for h in "$@"; do
    if [[ $h == "$unreachable" ]]; then RESOLVE+=(--resolve "$h:127.0.0.1:1"); else RESOLVE+=(--resolve "$h:127.0.0.1:$port"); fi
  done
}
