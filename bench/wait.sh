#!/usr/bin/env bash
# Ten `taskledger wait`s started at once by parallel pipelines, plus cron's run, against the local
# endpoint (issue 15): 300 tasks in one region (one host, one 20/s budget for everyone), some
# failing, some in progress for a while. Prints, per wait, its exit code and the time from its last
# task resolving (resolved_at in the ledger) to its return; and the endpoint's largest count of
# arrivals in any second at the host (must be <= 20) and refusals (must be 0).
#
#   bench/wait.sh [BUILD_DIR]        (default: ./build)
#   WAITS=10 PER_WAIT=30 POLL=1s bench/wait.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
tl=$build/taskledger
mock=$build/taskledger-mock
waits=${WAITS:-10}
per=${PER_WAIT:-30}
poll=${POLL:-1s}
for b in "$tl" "$mock"; do
  [ -x "$b" ] || { echo "bench/wait.sh: no $b; build taskledger and taskledger-mock or pass BUILD_DIR" >&2; exit 1; }
done
command -v sqlite3 >/dev/null || { echo "bench/wait.sh: needs sqlite3" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill "${mock_pid:-}" 2>/dev/null && wait "$mock_pid" 2>/dev/null; rm -rf "$work"' EXIT
host=clb.ap-guangzhou.tencentcloudapi.com
"$mock" certs "$work/certs" "$host" >/dev/null
"$mock" generate --tasks $((waits * per)) --regions ap-guangzhou --seed 15 --progress-for 4s \
  --mix succeed=0.6,fail=0.2,progress-then-succeed=0.2 --csv "$work/tasks.csv" --scenario "$work/scenario.json" >/dev/null
export TENCENTCLOUD_SECRET_ID=AKIDbench000000000000000000000000000 TENCENTCLOUD_SECRET_KEY=bench-key
"$mock" serve --cert "$work/certs/server.pem" --key "$work/certs/server.key" --scenario "$work/scenario.json" \
  --latency 150ms --jitter 50ms --port-file "$work/port" --stats-file "$work/stats.json" 2>"$work/mock.err" >/dev/null &
mock_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
db=$work/ledger.db
flags=(--db "$db" --ca-file "$work/certs/ca.pem" --resolve "$host:127.0.0.1:$(cat "$work/port")")
"$tl" init --db "$db" >/dev/null
"$tl" import "$work/tasks.csv" --db "$db" >/dev/null
mapfile -t ids < <(tail -n +2 "$work/tasks.csv" | cut -d, -f1)

start=$(date +%s%3N)
"$tl" run "${flags[@]}" --max-duration 3s --quiet 2>/dev/null &
cron=$!
pids=()
for ((w = 0; w < waits; w++)); do
  (
    set +e
    "$tl" wait "${flags[@]}" --poll "$poll" --timeout 5m --quiet "${ids[@]:$((w * per)):per}" >/dev/null 2>&1
    echo "$? $(date +%s%3N)" >"$work/wait.$w"
  ) &
  pids+=($!)
done
wait "${pids[@]}"
set +e; wait "$cron"; cron_code=$?; set -e

printf '%-6s %5s %12s %16s\n' wait exit "seconds" "last resolved → return"
for ((w = 0; w < waits; w++)); do
  read -r code ended <"$work/wait.$w"
  list=$(printf "'%s'," "${ids[@]:$((w * per)):per}")
  last=$(sqlite3 "$db" "SELECT max(CAST(strftime('%s', resolved_at) AS INTEGER) * 1000 + CAST(substr(resolved_at, 21, 3) AS INTEGER)) FROM tasks WHERE request_id IN (${list%,})")
  printf '%-6s %5s %12.1f %13d ms\n' "$w" "$code" "$(echo "($ended - $start) / 1000" | bc -l)" $((ended - last))
done
stats=$(curl -sk "https://127.0.0.1:$(cat "$work/port")/__admin/stats")
printf '\ncron run exit %s; endpoint: %s requests, largest count in any second at %s: %s, refused (rate): %s\n' \
  "$cron_code" "$(sed -n 's/^{"requests":\([0-9]*\).*/\1/p' <<<"$stats")" "$host" \
  "$(sed -n 's/.*"max_arrivals_1s_per_key":\([0-9]*\).*/\1/p' <<<"$stats")" \
  "$(sed -n 's/.*"rate_limited":\([0-9]*\).*/\1/p' <<<"$stats")"
