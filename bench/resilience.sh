#!/usr/bin/env bash
# The resilience suite (tests/integration/Resilience_test.cpp) with long settings: 10,000 tasks,
# 20% of answers faulted plus RequestLimitExceeded bursts, 50 SIGKILLs of `run`, 10 of
# `import --strict`. Prints a table of what each part proved.
# Usage: bench/resilience.sh [TASKS] [KILLS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target integration_tests taskledger taskledger-mock -j"$(nproc)" >/dev/null
export TASKLEDGER_RESILIENCE_TASKS=${1:-10000}
export TASKLEDGER_RESILIENCE_KILLS=${2:-50}
export TASKLEDGER_RESILIENCE_IMPORT_KILLS=10
log=$(mktemp /tmp/taskledger-resilience.XXXXXX)
start=$(date +%s)
set +e
"$build/integration_tests" --gtest_filter='Resilience.*' >"$log" 2>&1
status=$?
set -e
end=$(date +%s)
echo
echo "resilience: $TASKLEDGER_RESILIENCE_TASKS tasks, 20% faults, $TASKLEDGER_RESILIENCE_KILLS run kills, 10 strict-import kills"
printf '%-58s %s\n' test result
grep -E '^\[ +(OK|FAILED) +\] Resilience' "$log" | sed -E 's/^\[ +(OK|FAILED) +\] Resilience\.([A-Za-z]+) \(([0-9]+) ms\)/\2 \1 \3/' |
  while read -r name result ms; do printf '%-58s %s (%.0f s)\n' "$name" "$result" "$(awk -v m="$ms" 'BEGIN{print m/1000}')"; done
grep '^\[ figures  \]' "$log" | sed 's/^\[ figures  \] /  /'
echo "total $((end - start)) s; full log: $log"
exit $status
