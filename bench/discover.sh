#!/usr/bin/env bash
# discover over a generated day (issue 15): 10,000 CLB write events of tasks plus as many noise
# events (read events, failed calls, API 2.0 ids, other products, synchronous actions) served by
# the local endpoint's CloudAudit at its 20 calls/s. Prints the tasks found against the tasks the
# generator says should be found, the DescribeEvents calls the endpoint answered and the seconds,
# for a first discover and for a second one over the same day (which must add nothing). The
# baseline is the least possible: one call per 50 events the service's filters let through, at
# 20 calls a second.
#
#   bench/discover.sh [BUILD_DIR]        (default: ./build)
#   TASKS=10000 NOISE=10000 bench/discover.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
tl=$build/taskledger
mock=$build/taskledger-mock
tasks=${TASKS:-10000}
noise=${NOISE:-$tasks}
for b in "$tl" "$mock"; do
  [ -x "$b" ] || { echo "bench/discover.sh: no $b; build taskledger and taskledger-mock or pass BUILD_DIR" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'kill "${mock_pid:-}" 2>/dev/null && wait "$mock_pid" 2>/dev/null; rm -rf "$work"' EXIT
host=cloudaudit.tencentcloudapi.com
"$mock" certs "$work/certs" "$host" >/dev/null
# Every generated task's operation is asynchronous (CreateLoadBalancer's id only in its answer);
# "unknown" ids get no event. Regions as a real day might spread them. The endpoint answers in the
# official shapes (Region required, apiErrorCode the integer 0, time-like NextTokens that fall).
gen=$("$mock" generate --tasks "$tasks" --noise "$noise" --spread 24h --seed 15 \
  --regions ap-guangzhou,ap-shanghai,ap-beijing,ap-shanghai-fsi --mix succeed=0.9,fail=0.1 \
  --csv "$work/tasks.csv" --scenario "$work/scenario.json" --events "$work/events.json")
expected=$(sed -n 's/.*(\([0-9]*\) to discover.*/\1/p' <<<"$gen")
events=$(sed -n 's/.*wrote \([0-9]*\) CloudAudit events.*/\1/p' <<<"$gen")

export TENCENTCLOUD_SECRET_ID=AKIDbench000000000000000000000000000 TENCENTCLOUD_SECRET_KEY=bench-key
"$mock" serve --cert "$work/certs/server.pem" --key "$work/certs/server.key" --events "$work/events.json" \
  --port-file "$work/port" --stats-file "$work/stats.json" 2>"$work/mock.err" >/dev/null &
mock_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
flags=(--db "$work/ledger.db" --ca-file "$work/certs/ca.pem" --resolve "$host:127.0.0.1:$(cat "$work/port")")
"$tl" init --db "$work/ledger.db" >/dev/null

stats() { curl -sk "https://127.0.0.1:$(cat "$work/port")/__admin/stats"; }
requests() { stats | sed -n 's/^{"requests":\([0-9]*\).*/\1/p'; }
run() {  # label
  local before after start end out
  before=$(requests)
  start=$(date +%s%N)
  out=$("$tl" discover --since 25h "${flags[@]}")
  last_out=$out
  end=$(date +%s%N)
  after=$(requests)
  printf '%-22s %-58s %6d %8.2f\n' "$1" "$out" $((after - before)) "$(echo "($end - $start) / 1000000000" | bc -l)"
}

command -v curl >/dev/null && command -v bc >/dev/null || { echo "bench/discover.sh: needs curl and bc" >&2; exit 1; }
printf '%s events generated (%s tasks to discover, %s noise); ledger %s\n\n' "$events" "$expected" "$noise" "$work/ledger.db"
printf '%-22s %-58s %6s %8s\n' "run" "taskledger says" "calls" "seconds"
run "first discover"
through=$(sed -n 's/.* from \([0-9]*\) events/\1/p' <<<"$last_out")
run "same day again"
found=$(sqlite3 "$work/ledger.db" "SELECT count(*) FROM tasks WHERE source = 'cloudaudit'" 2>/dev/null || echo "?")
all=$(stats)
printf '\nendpoint: outcomes %s, rate limited %s, largest count in any second %s\n' \
  "$(sed -n 's/.*"outcomes":\({[^}]*}\).*/\1/p' <<<"$all")" "$(sed -n 's/.*"rate_limited":\([0-9]*\).*/\1/p' <<<"$all")" \
  "$(sed -n 's/.*"max_arrivals_1s":\([0-9]*\).*/\1/p' <<<"$all")"
printf 'found %s tasks, expected %s: %s\n' "$found" "$expected" "$([ "$found" = "$expected" ] && echo exact || echo MISMATCH)"
# The service's filters (ResourceType clb, ActionType Write) let the read and other-product noise
# out; what is left ("from E events") comes 50 to a page.
printf 'baseline: %s events through the filters need at least %s calls, %.2f s at 20 calls/s\n' \
  "$through" $(((through + 49) / 50)) "$(echo "($through + 49) / 50 / 20" | bc -l)"
