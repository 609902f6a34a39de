#!/usr/bin/env bash
# The whole job on the embedded default, no cloud account needed: builds taskledger, starts the
# local Tencent-style endpoint with a generated scenario, imports half of a CSV of request ids into a
# fresh ledger, discovers the rest from the endpoint's CloudAudit events, reconciles them, and
# writes the end-of-day report (text here, HTML to a file).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

scripts/setup.sh
build=${BUILD_DIR:-$root/build}
echo "demo: building (first time takes a few minutes)..."
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target taskledger taskledger-mock -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
tl="$build/taskledger"
mock="$build/taskledger-mock"

out=${DEMO_DIR:-$root/demo}
rm -rf "$out"
mkdir -p "$out"
regions=(ap-guangzhou ap-shanghai ap-beijing ap-shanghai-fsi)
hosts=()
for r in "${regions[@]}"; do hosts+=("clb.$r.tencentcloudapi.com"); done
hosts+=(cloudaudit.tencentcloudapi.com)

"$mock" certs "$out/certs" "${hosts[@]}" >/dev/null
"$mock" generate --tasks 400 --regions "$(IFS=,; echo "${regions[*]}")" --seed "${DEMO_SEED:-2026}" \
  --mix succeed=0.72,fail=0.1,progress-then-succeed=0.1,stuck=0.04,unknown=0.04 \
  --csv "$out/requests.csv" --scenario "$out/scenario.json" --events "$out/events.json" >/dev/null
# Half the ids were written down; CloudAudit recorded every call (plus noise discover passes over).
head -n 201 "$out/requests.csv" > "$out/written-down.csv"

# Demo credentials, known to the local endpoint only.
export TENCENTCLOUD_SECRET_ID=AKIDdemo0000000000000000000000000000
export TENCENTCLOUD_SECRET_KEY=demo-secret-key-for-the-local-endpoint
"$mock" serve --cert "$out/certs/server.pem" --key "$out/certs/server.key" --scenario "$out/scenario.json" \
  --events "$out/events.json" --latency 150ms --jitter 50ms --faults internal=0.02,http500=0.01 --port-file "$out/endpoint.port" \
  --stats-file "$out/endpoint-stats.json" 2>"$out/endpoint.log" &
mock_pid=$!
trap 'kill $mock_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do [[ -s "$out/endpoint.port" ]] && break; sleep 0.1; done
port=$(cat "$out/endpoint.port")
resolve=()
for h in "${hosts[@]}"; do resolve+=(--resolve "$h:127.0.0.1:$port"); done

export TASKLEDGER_DB="$out/ledger.db"
# One setting file for every command: run's summary and the report count "stuck" alike.
printf 'stuck-after = 2m\n' > "$out/taskledger.ini"
echo
echo "\$ taskledger init"
"$tl" init
echo "\$ taskledger import written-down.csv   (the 200 ids someone kept)"
"$tl" import "$out/written-down.csv"
echo "\$ taskledger discover   (the rest, from CloudAudit: who made each change, and from where)"
"$tl" discover --ca-file "$out/certs/ca.pem" "${resolve[@]}"
echo "\$ taskledger run --until-done --max-duration 40s ...   (local endpoint, 150 ms latency, 20 req/s per region)"
"$tl" --config "$out/taskledger.ini" run --until-done --max-duration 40s --ca-file "$out/certs/ca.pem" "${resolve[@]}" \
  --metrics-file "$out/taskledger.prom" || true
echo
echo "\$ taskledger --config taskledger.ini report   (stuck-after = 2m, as for the run)"
"$tl" --config "$out/taskledger.ini" report || true
"$tl" --config "$out/taskledger.ini" report --format html --output "$out/report.html" || true

kill "$mock_pid" 2>/dev/null || true
wait "$mock_pid" 2>/dev/null || true
trap - EXIT
cat <<MSG

demo: done. Files in $out:
  ledger.db            the ledger (try: $tl --db $out/ledger.db show <request id>)
  requests.csv         every generated request id (written-down.csv: the half imported)
  events.json          the CloudAudit events discover read (tasks mixed with noise)
  report.html          the end-of-day report as a page
  taskledger.prom      the run's metrics (Prometheus text format)
  endpoint-stats.json  what the local endpoint saw (requests, largest count in any second, signature failures)
Next: read README.md "Quick start" to run it against your own Tencent Cloud account.
MSG
