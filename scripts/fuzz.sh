#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/, cmake/Fuzzing.cmake) with clang in build-fuzz and
# runs each for SECONDS (default 30), one per core at a time, starting from its seed corpus in
# tests/fuzz/corpus/<target>/.
# Prints one row per target; exits non-zero when any target found a crash or a broken property.
# A finding is saved as build-fuzz/artifacts/<target>-crash-<hash>: reproduce it with
# `build-fuzz/fuzz_<target> <that file>`, then keep it as a unit test (tests/<part>/*Regression_test.cpp).
#
#   scripts/fuzz.sh [SECONDS]        FUZZ_BUILD_DIR=... to build elsewhere
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-30}
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS]" >&2
  exit 2
fi

# clang with libFuzzer's runtime, and llvm-symbolizer for readable stack traces.
scripts/setup.sh clang libclang-rt-dev llvm

jobs=$(nproc 2>/dev/null || echo 2)
build=${FUZZ_BUILD_DIR:-build-fuzz}
# The fuzz build is its own configuration: clang, the instrumented libraries, no test suites.
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DTASKLEDGER_FUZZ=ON -DTASKLEDGER_TESTS=OFF >/dev/null
cmake --build "$build" --target fuzz_targets -j"$jobs"

# Every sanitizer finding is fatal; nothing is suppressed.
export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# target:max_len. The lengths reach each parser's limits: CSV records over the 256-byte test
# limit across many 16-byte buffers, JSON bodies with nesting and long strings, compound
# durations long enough to reach the sum cap, and every timestamp form with room to spare.
targets=(csv_import:4096 response:2048 duration:2048 timestamp:64 tccli_answer:2048)

mkdir -p "$build/artifacts"

# fuzz_one NAME MAX_LEN: one target for $seconds; leaves its table row in artifacts/NAME.row and
# exits non-zero on a finding.
fuzz_one() {
  local name=$1 max_len=$2
  local corpus="$build/corpus/$name"  # grows across runs; the seeds in tests/ are never written
  local log="$build/artifacts/$name.log"
  mkdir -p "$corpus"
  echo "fuzz: $name for ${seconds}s" >&2
  local start status=0 result
  start=$(date +%s)
  "$build/fuzz_$name" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$name-" \
    "$corpus" "tests/fuzz/corpus/$name" >"$log" 2>&1 || status=$?
  local elapsed=$(($(date +%s) - start))
  local runs; runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if ((status == 0)); then
    result="ok"
  else
    local artifact; artifact=$(sed -n 's/.*Test unit written to //p' "$log" | tail -1)
    result="FAILED (exit $status) ${artifact:-see $log}"
    grep -E "property failed|runtime error|ERROR: AddressSanitizer|SUMMARY" "$log" | head -3 >&2 || true
  fi
  printf '%-12s %12s %8s  %s\n' "$name" "${runs:-?}" "$elapsed" "$result" >"$build/artifacts/$name.row"
  return "$status"
}

# As many targets at once as there are cores: each fuzzer uses one.
failed=0
running=0
for entry in "${targets[@]}"; do
  if ((running >= jobs)); then
    wait -n || failed=1
    running=$((running - 1))
  fi
  fuzz_one "${entry%%:*}" "${entry#*:}" &
  running=$((running + 1))
done
while ((running > 0)); do
  wait -n || failed=1
  running=$((running - 1))
done

printf '%-12s %12s %8s  %s\n' target runs seconds result
for entry in "${targets[@]}"; do cat "$build/artifacts/${entry%%:*}.row"; done
exit "$failed"
