#!/usr/bin/env bash
# Benchmark of `taskledger run` (issues 4 and 12) against the local endpoint at --rate 20 per host:
#   one-region     TASKS tasks x 2 checks, 150 ms latency, all in one region
#   three-regions  the same spread over three regions reached with --resolve
#   slow-api       TASKS/4 tasks x 2 checks in one region whose answers take 2 s
#   five-regions   6,000 tasks x 1 check over five regions, 120 ms +- 60 ms latency
# Prints achieved checks/s, the endpoint's largest count in any 1-second window per host,
# RequestLimitExceeded answers, the run's CPU time, and the run's wall time over the quota minimum
# (the busiest host's check count / 20 per second: 1.00 is the limit itself).
# Usage: bench/run.sh [TASKS]   (default 2000; about 8 minutes in all)
#   RUNS=N         run each case N times, one row each (CPU time on a shared 2-core VM varies by
#                  about 10% from run to run)
#   CASES="..."    only these cases
set -euo pipefail
tasks=${1:-2000}
source "$(dirname "$0")/common.sh" run
all_regions=(ap-guangzhou ap-shanghai ap-beijing ap-chengdu ap-nanjing)
hosts=(); for r in "${all_regions[@]}"; do hosts+=("clb.$r.tencentcloudapi.com"); done
"$mock" certs "$work/certs" "${hosts[@]}" >/dev/null


rows=()
# bench_case LABEL REGIONS TASKS CHECKS_EACH LATENCY JITTER
bench_case() {
  local label=$1 regions=$2 n=$3 checks_each=$4 latency=$5 jitter=$6 dir
  dir=$(mktemp -d "$work/$1.XXXX")
  "$mock" generate --tasks "$n" --regions "$regions" --mix succeed=1 --checks-each "$checks_each" --seed 11 \
    --csv "$dir/tasks.csv" --scenario "$dir/scenario.json" >/dev/null
  "$tl" --db "$dir/ledger.db" -q init
  "$tl" --db "$dir/ledger.db" import "$dir/tasks.csv" -q
  "$mock" serve --cert "$work/certs/server.pem" --key "$work/certs/server.key" --scenario "$dir/scenario.json" \
    --rate 20 --latency "$latency" --jitter "$jitter" --port-file "$dir/port" --stats-file "$dir/stats.json" 2>"$dir/mock.err" &
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
  local busiest; busiest=$(sqlite3 "$dir/ledger.db" "SELECT max(n) FROM (SELECT count(*) AS n FROM checks GROUP BY endpoint_host)")
  local rate cpu_pct ratio
  rate=$(awk -v c="$checks" -v s="$span" 'BEGIN{printf "%.2f", c/s}')
  cpu_pct=$(awk -v u="$user" -v s="$sys" -v w="$wall" 'BEGIN{printf "%.2f", 100*(u+s)/w}')
  ratio=$(awk -v w="$wall" -v b="$busiest" 'BEGIN{printf "%.3f", w/(b/20)}')
  rows+=("$(printf '%-14s %8s %8s %10s %15s %10s %8s %9s %8s %8s %7s' "$label" "$checks" "$span" "$rate" "$per_host" "$limited" "$sigfail" "$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')" "$cpu_pct" "$wall" "$ratio")")
}

cases=${CASES:-one-region three-regions slow-api five-regions}
three=$(IFS=,; echo "${all_regions[*]:0:3}")
five=$(IFS=,; echo "${all_regions[*]}")
for _ in $(seq "${RUNS:-1}"); do
  if [[ " $cases " == *" one-region "* ]]; then bench_case one-region ap-guangzhou "$tasks" 2 150ms 0s; fi
  if [[ " $cases " == *" three-regions "* ]]; then bench_case three-regions "$three" "$tasks" 2 150ms 0s; fi
  if [[ " $cases " == *" slow-api "* ]]; then bench_case slow-api ap-guangzhou $((tasks / 4)) 2 2s 0s; fi
  if [[ " $cases " == *" five-regions "* ]]; then bench_case five-regions "$five" 6000 1 120ms 60ms; fi
done

echo
echo "taskledger run: endpoint --rate 20/host; one-region and three-regions $tasks tasks x 2 checks at 150 ms,"
echo "slow-api $((tasks / 4)) x 2 at 2 s, five-regions 6000 x 1 at 120 +- 60 ms"
printf '%-14s %8s %8s %10s %15s %10s %8s %9s %8s %8s %7s\n' case checks span_s checks/s max1s/host limit_exc sig_fail cpu_s cpu_% wall_s /quota
for r in "${rows[@]}"; do echo "$r"; done
echo "targets: one-region >= 19.4 checks/s; three-regions >= 58 and cpu% < 3; slow-api >= 19;"
echo "         five-regions /quota <= 1.027; max1s/host <= 20; limit_exc 0"
