#!/usr/bin/env bash
# Import speed and memory, measured against SQLite's own CSV loader on the same file.
#
#   bench/import.sh [BUILD_DIR]        (default: ./build; needs the taskledger binary built)
#
# Generates ROWS (default 1,000,000) rows of request_id,region,operation,submitted_at, imports
# them into a fresh ledger with `taskledger import`, then loads the same file with
# `sqlite3 .import --csv` into a table of the same columns with the same unique index
# (region, request_id). Prints both times, their ratio and taskledger's peak RSS. Each side runs
# RUNS times (default 3) into a fresh database, alternating, and the best time counts. Target:
# ratio <= 1.0 and peak RSS < 64 MiB. The CPU time (user + system) of each side is printed too:
# on a machine shared with other work, wall time stretches with the load while CPU time does not.
#
# Both databases start empty and their set-up (schema) is not timed. The ledger runs in WAL mode
# with synchronous=NORMAL, as always; the sqlite3 shell uses its defaults (rollback journal,
# synchronous=FULL). A third line loads the same rows with sqlite3 into the ledger's own schema
# (every column and index, no validation): what SQLite itself needs for the ledger's rows.
# Needs bash, mawk or gawk, sqlite3 and GNU time (/usr/bin/time); no python.
set -euo pipefail

build_dir=${1:-build}
bin=${TASKLEDGER:-$build_dir/taskledger}
rows=${ROWS:-1000000}
runs=${RUNS:-3}
[[ -x $bin ]] || { echo "bench/import.sh: no taskledger binary at '$bin' (build it, or pass BUILD_DIR)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "bench/import.sh: sqlite3 is not installed" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "bench/import.sh: GNU time (/usr/bin/time) is not installed" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/taskledger-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
csv=$work/rows.csv

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }

# Request ids are unique by construction (the first group is a bijection of the row number,
# Knuth's multiplicative hash mod 2^32) and scattered like real UUIDs; the rest is random.
# submitted_at rises through the day, as in an export of a day's changes.
t0=$(now)
awk -v n="$rows" 'BEGIN {
  srand(42)
  split("ap-guangzhou ap-shanghai ap-beijing ap-singapore ap-shanghai-fsi", region, " ")
  split("CreateListener DeleteLoadBalancer ModifyListener RegisterTargets", op, " ")
  print "request_id,region,operation,submitted_at"
  for (i = 0; i < n; i++) {
    x = 2654435761 * i + 12345
    x -= int(x / 4294967296) * 4294967296
    ms = i * 50
    s = int(ms / 1000)
    printf "%08x-%04x-4%03x-%04x-%04x%08x,%s,%s,2026-11-27T%02d:%02d:%02d.%03dZ\n",
      x, int(rand() * 65536), int(rand() * 4096), 32768 + int(rand() * 16384),
      int(rand() * 65536), int(rand() * 4294967296),
      region[1 + i % 5], op[1 + int(i / 7) % 4],
      8 + int(s / 3600), int(s / 60) % 60, s % 60, ms % 1000
  }
}' >"$csv"
t1=$(now)
echo "generated $rows rows ($(du -h "$csv" | cut -f1)) in $(elapsed "$t0" "$t1") s"

best_tl= best_sq= best_ref= cpu_tl= cpu_sq= cpu_ref= peak_kb=0
# timed OUT CMD...: runs CMD under GNU time (its report in $work/time.txt, CMD's stdout in OUT);
# sets t (wall seconds) and cpu (user + system seconds).
timed() {
  local out=$1
  shift
  local t0 t1
  t0=$(now)
  /usr/bin/time -v -o "$work/time.txt" "$@" >"$out"
  t1=$(now)
  t=$(elapsed "$t0" "$t1")
  cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$work/time.txt")
}
for ((run = 1; run <= runs; run++)); do
  rm -f "$work"/ledger.db*
  "$bin" --db "$work/ledger.db" --quiet init
  timed "$work/out.txt" "$bin" --db "$work/ledger.db" import "$csv"
  kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
  echo "taskledger import,         run $run: $t s (cpu $cpu s), peak RSS $((kb / 1024)) MiB: $(cat "$work/out.txt")"
  best_tl=$(min "$best_tl" "$t")
  cpu_tl=$(min "$cpu_tl" "$cpu")
  ((kb > peak_kb)) && peak_kb=$kb

  rm -f "$work"/sqlite.db*
  sqlite3 "$work/sqlite.db" "CREATE TABLE tasks (request_id TEXT NOT NULL, region TEXT NOT NULL,
    operation TEXT NOT NULL, submitted_at TEXT NOT NULL);
    CREATE UNIQUE INDEX tasks_key ON tasks (region, request_id);"
  timed /dev/null sqlite3 "$work/sqlite.db" ".import --csv --skip 1 '$csv' tasks"
  echo "sqlite3 .import,           run $run: $t s (cpu $cpu s), $(sqlite3 "$work/sqlite.db" 'SELECT count(*) FROM tasks') rows"
  best_sq=$(min "$best_sq" "$t")
  cpu_sq=$(min "$cpu_sq" "$cpu")

  # A second reference: SQLite's loader filling the ledger's own schema (all its indexes, every
  # column), with the importer's settings and no validation.
  rm -f "$work"/ref.db*
  "$bin" --db "$work/ref.db" --quiet init
  timed /dev/null sqlite3 "$work/ref.db" <<SQL
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -4096;
CREATE TEMP TABLE stage (request_id TEXT, region TEXT, operation TEXT, submitted_at TEXT);
.import --csv --skip 1 '$csv' stage
BEGIN IMMEDIATE;
INSERT INTO tasks (profile, region, request_id, operation, resource, source, submitted_at,
                   imported_at, state, attempts, next_check_at)
  SELECT 'default', region, lower(request_id), operation, '', 'rows.csv:' || (rowid + 1), submitted_at,
         strftime('%Y-%m-%dT%H:%M:%fZ'), 'pending', 0, strftime('%Y-%m-%dT%H:%M:%fZ')
  FROM stage WHERE true
  ON CONFLICT (profile, region, request_id) DO NOTHING;
COMMIT;
SQL
  echo "sqlite3 into ledger schema, run $run: $t s (cpu $cpu s), $(sqlite3 "$work/ref.db" 'SELECT count(*) FROM tasks') rows"
  best_ref=$(min "$best_ref" "$t")
  cpu_ref=$(min "$cpu_ref" "$cpu")
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
printf '%-36s %10s %10s\n' "best of $runs" "wall (s)" "cpu (s)"
printf '%-36s %10s %10s\n' "taskledger import:" "$best_tl" "$cpu_tl"
printf '%-36s %10s %10s   ratio %s wall, %s cpu (target <= 1.0)\n' "sqlite3 .import (4 columns, key):" \
  "$best_sq" "$cpu_sq" "$(ratio "$best_tl" "$best_sq")" "$(ratio "$cpu_tl" "$cpu_sq")"
printf '%-36s %10s %10s   ratio %s wall, %s cpu\n' "sqlite3 into the ledger's schema:" \
  "$best_ref" "$cpu_ref" "$(ratio "$best_tl" "$best_ref")" "$(ratio "$cpu_tl" "$cpu_ref")"
echo "taskledger peak RSS:                $((peak_kb / 1024)) MiB (target < 64 MiB)"
