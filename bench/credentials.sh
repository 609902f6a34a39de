#!/usr/bin/env bash
# Issue 13's first figure: a run whose credentials come from the CVM metadata service with
# 10-second temporary keys, kept busy for a minute, and the AuthFailure answers it got (the goal:
# none). The local endpoint hands out the keys (--sts-duration 10s) on its plain-HTTP metadata
# route, reached with --resolve metadata.tencentyun.com:127.0.0.1:PORT, and refuses them once
# expired (AuthFailure.TokenFailure). No key is in the environment or on disk: the chain falls
# back to the instance role, as on a CVM. Baseline in the same run: the same minute with
# long-term keys from the environment.
# Usage: bench/credentials.sh [TASKS]   (default 1500: more than a minute's worth at 20/s)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tasks=${1:-1500}
build=${BUILD_DIR:-$root/build}
cmake --build "$build" --target taskledger taskledger-mock -j2 >/dev/null
tl="$build/taskledger"; mock="$build/taskledger-mock"
work=$(mktemp -d /tmp/taskledger-bench-credentials.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

host=clb.ap-guangzhou.tencentcloudapi.com
"$mock" certs "$work/certs" "$host" >/dev/null
stat() { tr -d '\n ' <"$1" | grep -o "\"$2\":[0-9]*" | head -1 | cut -d: -f2; }
authfailures() { tr -d '\n ' <"$1" | grep -o '"AuthFailure[A-Za-z.]*":[0-9]*' | cut -d: -f2 | paste -sd+ | bc 2>/dev/null || echo 0; }

rows=()
bench_case() {
  local label=$1 dir; dir=$(mktemp -d "$work/$1.XXXX")
  "$mock" generate --tasks "$tasks" --regions ap-guangzhou --mix stuck=1 --seed 13 \
    --csv "$dir/tasks.csv" --scenario "$dir/scenario.json" >/dev/null
  "$tl" --db "$dir/ledger.db" -q init
  "$tl" --db "$dir/ledger.db" import "$dir/tasks.csv" -q
  "$mock" serve --cert "$work/certs/server.pem" --key "$work/certs/server.key" --scenario "$dir/scenario.json" \
    --secret-id AKIDbenchLONG000000000000000000 --secret-key bench-long-term-key \
    --rate 20 --latency 50ms --sts-duration 10s --metadata-port 0 --metadata-port-file "$dir/mport" \
    --port-file "$dir/port" --stats-file "$dir/stats.json" 2>"$dir/mock.err" >/dev/null &
  local mpid=$!
  for _ in $(seq 100); do [[ -s "$dir/port" && -s "$dir/mport" ]] && break; sleep 0.1; done
  local env=(env -u TENCENTCLOUD_SECRET_ID -u TENCENTCLOUD_SECRET_KEY -u TENCENTCLOUD_TOKEN HOME="$dir/home")
  [[ $label == long-term ]] && env+=(TENCENTCLOUD_SECRET_ID=AKIDbenchLONG000000000000000000 TENCENTCLOUD_SECRET_KEY=bench-long-term-key)
  local code=0
  "${env[@]}" "$tl" --db "$dir/ledger.db" run --max-duration 1m --ca-file "$work/certs/ca.pem" \
    --resolve "$host:127.0.0.1:$(cat "$dir/port")" --resolve "metadata.tencentyun.com:127.0.0.1:$(cat "$dir/mport")" \
    2>"$dir/run.err" || code=$?
  kill -TERM "$mpid"; wait "$mpid" 2>/dev/null || true
  local span checks
  span=$(sqlite3 "$dir/ledger.db" "SELECT printf('%.1f', (julianday(max(checked_at)) - julianday(min(checked_at))) * 86400) FROM checks")
  checks=$(sqlite3 "$dir/ledger.db" "SELECT count(*) FROM checks WHERE outcome LIKE 'status:%'")
  rows+=("$(printf '%-12s %6s %9s %8s %12s %10s' "$label" "$code" "$span" "$checks" "$(authfailures "$dir/stats.json")" "$(stat "$dir/stats.json" rate_limited)")")
  [[ $code -eq 0 ]] || tail -2 "$dir/run.err" | sed "s/^/  $label: /" >&2
}

bench_case long-term
bench_case cvm-role-10s
printf '%-12s %6s %9s %8s %12s %10s\n' case exit "span (s)" answers AuthFailure limited
printf '%s\n' "${rows[@]}"
