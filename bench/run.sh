#!/usr/bin/env bash
# Benchmark of `taskledger run` (issue 4): 2,000 tasks that each need two checks, against the local
# endpoint at --rate 20 per host and 150 ms latency; first all in one region, then spread over
# three regions reached with --resolve. Prints achieved checks/s, the endpoint's largest count in
# any 1-second window per host, RequestLimitExceeded answers, and the run's CPU time.
# Usage: bench/run.sh [TASKS]   (default 2000; about 5 minutes in all)
#   RUNS=N         run each case N times, one row each (CPU time on a shared 2-core VM varies by
#                  about 10% from run to run)
#   CASES="..."    only these cases (one-region, three-regions)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tasks=${1:-2000}
build=${BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target taskledger taskledger-mock -j"$(nproc)" >/dev/null
tl="$build/taskledger"; mock="$build/taskledger-mock"
work=$(mktemp -d /tmp/taskledger-bench-run.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

export TENCENTCLOUD_SECRET_ID=AKIDbench000000000000000000000000000
export TENCENTCLOUD_SECRET_KEY=bench-secret-key
all_regions=(ap-guangzhou ap-shanghai ap-beijing)
hosts=(); for r in "${all_regions[@]}"; do hosts+=("clb.$r.tencentcloudapi.com"); done
"$mock" certs "$work/certs" "${hosts[@]}" >/dev/null

# json_field FILE EXPR: a value from the endpoint's statistics (python-free: sed over one line).
stat() { tr -d '\n ' <"$1" | grep -o "\"$2\":[0-9]*" | head -1 | cut -d: -f2; }

rows=()
bench_case() {
  local label=$1 regions=$2 dir
  dir=$(mktemp -d "$work/$1.XXXX")
  "$mock" generate --tasks "$tasks" --regions "$regions" --mix succeed=1 --checks-each 2 --seed 11 \
    --csv "$dir/tasks.csv" --scenario "$dir/scenario.json" >/dev/null
  "$tl" --db "$dir/ledger.db" -q init
  "$tl" --db "$dir/ledger.db" import "$dir/tasks.csv" -q
  "$mock" serve --cert "$work/certs/server.pem" --key "$work/certs/server.key" --scenario "$dir/scenario.json" \
    --rate 20 --latency 150ms --port-file "$dir/port" --stats-file "$dir/stats.json" 2>"$dir/mock.err" &
  local mpid=$!
  for _ in $(seq 100); do [[ -s "$dir/port" ]] && break; sleep 0.1; done
  local port; port=$(cat "$dir/port")
  local resolve=(); for h in "${hosts[@]}"; do resolve+=(--resolve "$h:127.0.0.1:$port"); done
  /usr/bin/time -f "%e %U %S" -o "$dir/time" "$tl" --db "$dir/ledger.db" run --until-done --max-duration 15m \
    --ca-file "$work/certs/ca.pem" "${resolve[@]}" 2>"$dir/run.err" || true
  kill -TERM "$mpid"; wait "$mpid" 2>/dev/null || true
  read -r wall user sys <"$dir/time"
  local checks; checks=$(sqlite3 "$dir/ledger.db" "SELECT count(*) FROM checks WHERE outcome LIKE 'status:%'")
  local first last span
  span=$(sqlite3 "$dir/ledger.db" "SELECT printf('%.1f', (julianday(max(checked_at)) - julianday(min(checked_at))) * 86400) FROM checks")
  local per_host; per_host=$(tr -d '\n ' <"$dir/stats.json" | grep -o '"max_arrivals_1s":[0-9]*,"max_accepted_1s"' | cut -d: -f2 | cut -d, -f1 | paste -sd/)
  local limited; limited=$(stat "$dir/stats.json" rate_limited)
  local sigfail; sigfail=$(stat "$dir/stats.json" signature_failures)
  local rate cpu_pct
  rate=$(awk -v c="$checks" -v s="$span" 'BEGIN{printf "%.2f", c/s}')
  cpu_pct=$(awk -v u="$user" -v s="$sys" -v w="$wall" 'BEGIN{printf "%.2f", 100*(u+s)/w}')
  rows+=("$(printf '%-14s %8s %8s %10s %12s %10s %8s %9s %8s' "$label" "$checks" "$span" "$rate" "$per_host" "$limited" "$sigfail" "$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')" "$cpu_pct")")
}

cases=${CASES:-one-region three-regions}
for _ in $(seq "${RUNS:-1}"); do
  if [[ " $cases " == *" one-region "* ]]; then bench_case one-region ap-guangzhou; fi
  if [[ " $cases " == *" three-regions "* ]]; then bench_case three-regions "$(IFS=,; echo "${all_regions[*]}")"; fi
done

echo
echo "taskledger run: $tasks tasks x 2 checks, endpoint --rate 20/host, 150 ms latency"
printf '%-14s %8s %8s %10s %12s %10s %8s %9s %8s\n' case checks span_s checks/s max1s/host limit_exc sig_fail cpu_s cpu_%
for r in "${rows[@]}"; do echo "$r"; done
echo "targets: one region >= 19.0 checks/s; three regions >= 57; max1s/host <= 20; limit_exc 0; cpu% < 2"
