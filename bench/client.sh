#!/usr/bin/env bash
# The API client's cost (issue 3 item 9): runs the local endpoint with no rate limit and no
# latency, then the client as fast as it can over one kept-alive connection, and the same count
# with a fresh connection (TCP + TLS handshake) per request. Prints checks/s and the client's CPU
# time per check for each. Targets: >= 2,000 checks/s kept alive (issue 12), and >= 5x the fresh figure.
#   bench/client.sh [COUNT]        (default 5000; BUILD_DIR selects the build, default ./build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
count=${1:-5000}
mock=$build/taskledger-mock
bench=$build/client_bench
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target taskledger-mock client_bench -j"$(nproc)" >/dev/null

work=$(mktemp -d)
mock_pid=
cleanup() {
  [[ -n $mock_pid ]] && kill -TERM "$mock_pid" 2>/dev/null && wait "$mock_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Throwaway credentials, passed through the environment (never on a command line).
export TENCENTCLOUD_SECRET_ID=AKIDbench
TENCENTCLOUD_SECRET_KEY=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export TENCENTCLOUD_SECRET_KEY
unset TENCENTCLOUD_TOKEN TENCENTCLOUD_SECURITY_TOKEN TCCLI_PROFILE

"$mock" certs "$work/certs" >/dev/null
"$mock" serve --cert "$work/certs/server.pem" --key "$work/certs/server.key" --rate 0 --latency 0s \
  --default-status 0 --port-file "$work/port" --stats-file "$work/stats.json" >"$work/mock.log" 2>&1 &
mock_pid=$!
for _ in $(seq 100); do [[ -s $work/port ]] && break; sleep 0.05; done
[[ -s $work/port ]] || { echo "client.sh: the local endpoint did not start:" >&2; cat "$work/mock.log" >&2; exit 1; }
port=$(cat "$work/port")

echo "client bench: $count checks per mode against https://127.0.0.1:$port (no rate limit, no latency), $(nproc) cores"
"$bench" --endpoint "https://127.0.0.1:$port" --ca-file "$work/certs/ca.pem" --count "$count"

kill -TERM "$mock_pid"
wait "$mock_pid" || true
mock_pid=
tail -n 1 "$work/mock.log"
