#!/usr/bin/env bash
# The report's speed (issues 5 and 16): builds a ledger of 1,000,000 tasks over 10 days (about
# 100,000 a day, realistic states, a third found by discover with an actor, a parked region) and
# times `taskledger report --format json` for one day, with every section, against hand-written
# sqlite3 GROUP BYs that compute the same numbers over the same rows: counts by region,
# operation, actor and class, failure reasons, the hour-by-hour table.
# Target: the report under 0.5 s and at most 1.2x the raw queries. Then the time of each query
# the report runs, and the query plan of the slowest.
#
#   bench/report.sh [BUILD_DIR]        (default: ./build; TASKLEDGER=path overrides the binary)
#   RUNS=7 bench/report.sh             (timed runs of each, after one warm-up; median reported)
#   BENCH_DB=/tmp/ledger.db bench/report.sh   (keeps the ledger there; a later run reuses it)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${TASKLEDGER:-${1:-$root/build}/taskledger}
runs=${RUNS:-5}
command -v sqlite3 >/dev/null || { echo "bench/report.sh: needs the sqlite3 command (apt-get install sqlite3)" >&2; exit 1; }
[ -x "$bin" ] || { echo "bench/report.sh: no taskledger binary at $bin; build it or pass BUILD_DIR" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=${BENCH_DB:-$work/bench.db}
export TZ=UTC

if [[ -s $db ]]; then
  echo "reusing the ledger $db"
else
echo "building a ledger of 1,000,000 tasks in $db ..."
start=$(date +%s%N)
"$bin" init --db "$db" >/dev/null
# Every "random" choice is a hash of the row number, so each run builds the same ledger:
# one task every 0.864 s from 2026-03-01 UTC; 95.5% succeeded, 2% failed, 0.8% rejected,
# 0.5% expired, 0.6% in progress, 0.6% pending; resolved 5 s to 15 min after submission.
sqlite3 "$db" <<'SQL'
PRAGMA synchronous = OFF;
PRAGMA cache_size = -200000;
WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < 999999),
r AS MATERIALIZED (
  SELECT i, julianday('2026-03-01') + i * (10.0 / 1000000) AS sub_jd, (i * 2654435761) % 1000 AS roll,
         (i * 40503 + 7) % 5 AS reg, (i * 9973 + 3) % 4 AS op, 5 + (i * 48271) % 900 AS secs
  FROM seq),
s AS MATERIALIZED (
  SELECT *, CASE WHEN roll < 955 THEN 'succeeded' WHEN roll < 975 THEN 'failed' WHEN roll < 983 THEN 'rejected'
                 WHEN roll < 988 THEN 'expired' WHEN roll < 994 THEN 'in_progress' ELSE 'pending' END AS st,
            strftime('%Y-%m-%dT%H:%M:%fZ', sub_jd) AS sub,
            strftime('%Y-%m-%dT%H:%M:%fZ', sub_jd + secs / 86400.0) AS later
  FROM r)
INSERT INTO tasks (profile, region, request_id, operation, resource, source, submitted_at, imported_at, state,
                   last_status, attempts, next_check_at, last_checked_at, resolved_at, message, last_error_code,
                   last_error_message, actor, source_ip)
SELECT 'default',
       CASE reg WHEN 0 THEN 'ap-guangzhou' WHEN 1 THEN 'ap-shanghai' WHEN 2 THEN 'ap-beijing'
                WHEN 3 THEN 'ap-singapore' ELSE 'na-siliconvalley' END,
       printf('%08x-%04x-4%03x-8%03x-%012x', (i * 2246822519) % 4294967296, i % 65536, roll, reg, i),
       CASE op WHEN 0 THEN 'RegisterTargets' WHEN 1 THEN 'DeregisterTargets' WHEN 2 THEN 'ModifyListener'
               ELSE 'CreateRule' END,
       printf('lb-%08x', (i * 2654435761) % 4294967296), 'bench.csv:' || (i + 2), sub, sub, st,
       CASE st WHEN 'succeeded' THEN 0 WHEN 'failed' THEN 1 WHEN 'in_progress' THEN 2 END,
       CASE WHEN st = 'pending' THEN 0 ELSE 1 + secs % 7 END,
       later, CASE WHEN st <> 'pending' THEN later END,
       CASE WHEN st IN ('succeeded', 'failed') THEN later END,
       CASE st WHEN 'failed' THEN 'backend rs not found' END,
       CASE st WHEN 'rejected' THEN 'InvalidParameter.FormatError' END,
       CASE st WHEN 'rejected' THEN 'The TaskId is not valid.' END,
       CASE WHEN i % 3 = 0 THEN 'user-' || (i % 20) ELSE '' END,
       CASE WHEN i % 3 = 0 THEN '10.0.' || (i % 7) || '.' || (i % 250) ELSE '' END
FROM s;
INSERT INTO runs (started_at, finished_at, host, pid, exit_reason)
  VALUES ('2026-03-10T23:55:00.000Z', '2026-03-10T23:56:00.000Z', 'bench', 1, 'done');
-- A region parked by every run of the ten days (one run every 5 minutes).
WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < 2879)
INSERT INTO parked_regions (run_id, profile, region, code, message, parked_at)
  SELECT 1, 'default', 'ap-jakarta', 'UnsupportedRegion', 'The region is not supported.',
         strftime('%Y-%m-%dT%H:%M:%fZ', julianday('2026-03-01') + n * 300 / 86400.0) FROM k;
SQL
echo "  built in $(( ($(date +%s%N) - start) / 1000000 )) ms, $(du -m "$db" | cut -f1) MB"
fi

day=2026-03-05
since=${day}T00:00:00.000Z
until=2026-03-06T00:00:00.000Z
stuck_cutoff=$(date -u -d '-30 minutes' +%Y-%m-%dT%H:%M:%S.000Z)
in_window="submitted_at >= '$since' AND submitted_at < '$until'"
class="CASE WHEN state IN ('pending', 'in_progress') AND submitted_at < '$stuck_cutoff' THEN 'stuck' ELSE state END"
# The baseline: one hand-written GROUP BY that counts the window by region, operation, actor and
# class. For scale, also every section's numbers by hand (counts, reasons, hours: four scans).
raw_sql="SELECT region, operation, actor, $class, count(*) FROM tasks WHERE $in_window GROUP BY 1, 2, 3, 4;"
all_sql="$raw_sql
SELECT state, CASE state WHEN 'failed' THEN coalesce(message, last_error_message) ELSE last_error_code END,
       count(*), group_concat(DISTINCT region), group_concat(DISTINCT operation), min(request_id)
  FROM tasks WHERE $in_window AND state IN ('failed', 'rejected') GROUP BY 1, 2 ORDER BY 3 DESC;
SELECT substr(submitted_at, 1, 13), count(*) FROM tasks WHERE $in_window GROUP BY 1;
SELECT substr(resolved_at, 1, 13), count(*), sum(state = 'failed') FROM tasks
  WHERE $in_window AND state IN ('succeeded', 'failed') GROUP BY 1;"

# "wall_ms cpu_ms": the medians over `runs` runs of the command, after one warm-up run. CPU time
# (user + system) is shown too because wall time swings when other work shares the machine.
time_ms() {
  "$@" >/dev/null
  local TIMEFORMAT='%R %U %S' samples
  samples=$(for _ in $(seq "$runs"); do { time "$@" >/dev/null; } 2>&1; done)
  median() { sort -n | awk '{ v[NR] = $1 } END { printf "%d", v[int((NR + 1) / 2)] }'; }
  echo "$(awk '{ print $1 * 1000 }' <<<"$samples" | median) $(awk '{ print ($2 + $3) * 1000 }' <<<"$samples" | median)"
}

tasks=$(sqlite3 "$db" "SELECT count(*) FROM tasks WHERE submitted_at >= '$since' AND submitted_at < '$until'")
read -r report_ms report_cpu < <(time_ms "$bin" report --db "$db" --day "$day" --utc --format json)
read -r raw_ms raw_cpu < <(time_ms sqlite3 "$db" "$raw_sql")
read -r all_ms all_cpu < <(time_ms sqlite3 "$db" "$all_sql")
"$bin" report --db "$db" --day "$day" --utc --format json > "$work/report.json"

echo "day $day: $tasks tasks; report JSON $(wc -c < "$work/report.json") bytes; medians of $runs runs"
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (wall time waits for a core; CPU time does not)"
echo
awk -v r="$report_ms" -v q="$raw_ms" -v a="$all_ms" -v rc="$report_cpu" -v qc="$raw_cpu" -v ac="$all_cpu" 'BEGIN {
  ratio = q > 0 ? r / q : 0
  cpu_ratio = qc > 0 ? rc / qc : 0
  printf "%-36s %9s %8s %12s %11s\n", "what", "wall ms", "CPU ms", "wall / raw", "CPU / raw"
  printf "%-36s %9d %8d %11.2fx %10.2fx\n", "taskledger report --format json", r, rc, ratio, cpu_ratio
  printf "%-36s %9d %8d %11.2fx %10.2fx\n", "sqlite3 GROUP BY (the raw query)", q, qc, 1, 1
  printf "%-36s %9d %8d %11.2fx %10.2fx\n", "sqlite3, every section by hand", a, ac, (q > 0 ? a / q : 0), (qc > 0 ? ac / qc : 0)
  verdict = (r < 500 && ratio <= 1.2) ? "met" : "NOT met"
  cpu_verdict = (rc < 500 && cpu_ratio <= 1.2) ? "met" : "NOT met"
  printf "\ntarget: report < 500 ms and <= 1.20x the raw query: wall %s, CPU %s\n", verdict, cpu_verdict
}'
for key in headline failure_reasons stuck_groups over_time by_actor parked_regions never_checked settings; do
  grep -q "\"$key\": " "$work/report.json" || { echo "bench/report.sh: the report has no $key" >&2; exit 1; }
done

# The queries the report runs (src/store/ReportQueries.cpp, TaskRepository::lastRun), timed one
# by one, and the plan of the slowest.
window_sql="SELECT state, submitted_at, resolved_at, region, operation, profile, request_id, resource, message,
  last_error_code, last_error_message, attempts, actor, source_ip FROM tasks
  WHERE submitted_at >= '$since' AND submitted_at < '$until' ORDER BY submitted_at, id"
parked_sql="SELECT run_id, profile, region, code, message, parked_at FROM parked_regions
  WHERE parked_at >= '$since' AND parked_at < '$until' ORDER BY parked_at, id"
run_sql="SELECT * FROM runs ORDER BY id DESC LIMIT 1"
echo
echo "query                 ms (median of $runs, sqlite3)"
slowest="" slowest_ms=-1
for name in window_scan parked_regions last_run; do
  case $name in window_scan) q=$window_sql ;; parked_regions) q=$parked_sql ;; last_run) q=$run_sql ;; esac
  read -r ms _ < <(time_ms sqlite3 "$db" "$q")
  printf "%-20s %5d\n" "$name" "$ms"
  if (( ms > slowest_ms )); then slowest=$name slowest_ms=$ms slowest_sql=$q; fi
done
echo
echo "query plan of the slowest ($slowest):"
sqlite3 "$db" "EXPLAIN QUERY PLAN $slowest_sql" | sed 's/^/  /'
