#!/usr/bin/env bash
# Issue 13's two rate figures on the real binary, against the local endpoint:
#   account-30   three regions that each take 20/s, under an account-wide limit of 30/s over all
#                of them (the endpoint answers RequestLimitExceeded.UinLimitExceeded): the share
#                of requests refused (goal: under 10%), and the pace against the account's 30/s.
#   parked       three regions, one of them unreachable (its host resolves to a closed port, so
#                it is parked for the run): the other two regions' checks/s each (goal: the full
#                rate), against the same two regions run alone in the same script.
# Usage: bench/limits.sh [TASKS_PER_REGION]   (default 500; about 3 minutes)
set -euo pipefail
per_region=${1:-500}
source "$(dirname "$0")/common.sh" limits
regions=(ap-guangzhou ap-shanghai ap-beijing)
hosts=(); for r in "${regions[@]}"; do hosts+=("clb.$r.tencentcloudapi.com"); done
"$mock" certs "$work/certs" "${hosts[@]}" >/dev/null

rows=()
# bench_case LABEL REGIONS(comma) UNREACHABLE_HOST(or -) MOCK_ARGS...
bench_case() {
  local label=$1 list=$2 unreachable=$3 dir; shift 3
  dir=$(mktemp -d "$work/$label.XXXX")
  local n=$((per_region * $(tr ',' '\n' <<<"$list" | wc -l)))
  "$mock" generate --tasks "$n" --regions "$list" --mix succeed=1 --checks-each 1 --seed 17 \
    --csv "$dir/tasks.csv" --scenario "$dir/scenario.json" >/dev/null
  "$tl" --db "$dir/ledger.db" -q init
  "$tl" --db "$dir/ledger.db" import "$dir/tasks.csv" -q
  "$mock" serve --cert "$work/certs/server.pem" --key "$work/certs/server.key" --scenario "$dir/scenario.json" \
    --rate 20 --latency 50ms "$@" --port-file "$dir/port" --stats-file "$dir/stats.json" 2>"$dir/mock.err" >/dev/null &
  local mpid=$!
  local_resolve "$dir/port" "$unreachable" "${hosts[@]}"
  local code=0
  "$tl" --db "$dir/ledger.db" run --until-done --max-duration 10m --ca-file "$work/certs/ca.pem" "${RESOLVE[@]}" \
    2>"$dir/run.err" || code=$?
  kill -TERM "$mpid"; wait "$mpid" 2>/dev/null || true
  local requests refused checks span per_host
  requests=$(stat "$dir/stats.json" requests)
  refused=$(stat "$dir/stats.json" rate_limited)
  checks=$(sqlite3 "$dir/ledger.db" "SELECT count(*) FROM checks WHERE outcome LIKE 'status:%'")
  span=$(sqlite3 "$dir/ledger.db" "SELECT printf('%.1f', (julianday(max(checked_at)) - julianday(min(checked_at))) * 86400) FROM checks WHERE outcome LIKE 'status:%'")
  # checks/s of each region that answered, over that region's own span
  per_host=$(sqlite3 "$dir/ledger.db" "SELECT group_concat(r, '/') FROM (SELECT printf('%.2f', count(*) / ((julianday(max(checked_at)) - julianday(min(checked_at))) * 86400)) AS r FROM checks WHERE outcome LIKE 'status:%' GROUP BY endpoint_host ORDER BY endpoint_host)")
  rows+=("$(printf '%-12s %5s %8s %8s %8s %9s %9s %10s %22s' "$label" "$code" "$requests" "$refused" \
    "$(awk -v r="$refused" -v q="$requests" 'BEGIN{printf "%.1f", q ? 100*r/q : 0}')" "$checks" "$span" \
    "$(awk -v c="$checks" -v s="$span" 'BEGIN{printf "%.2f", (s > 0 ? c/s : 0)}')" "$per_host")")
  [[ $label != parked ]] || grep -i "park" "$dir/run.err" | head -2 | sed 's/^/  parked: /' >&2 || true
}

bench_case account-30 "$(IFS=,; echo "${regions[*]}")" - --account-rate 30
bench_case two-alone "${regions[0]},${regions[1]}" -
bench_case parked "$(IFS=,; echo "${regions[*]}")" "${hosts[2]}"

echo
echo "taskledger run: $per_region tasks per region x 1 check, endpoint --rate 20/host at 50 ms"
printf '%-12s %5s %8s %8s %8s %9s %9s %10s %22s\n' case exit requests refused refused% checks span_s checks/s "checks/s per host"
printf '%s\n' "${rows[@]}"
echo "goals: account-30 refused% < 10 (pace against the account's 30/s: checks/s);"
echo "       parked: exit 1, and each live host's checks/s as in two-alone (full rate, ~19.4)"
