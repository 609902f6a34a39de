#!/usr/bin/env bash
# The test command (README, .ci/run). Installs what is missing, then:
#   1. the fuzz targets, each for a short time (scripts/fuzz.sh; FUZZ_SECONDS, 0 skips),
#   2. every suite under AddressSanitizer + UndefinedBehaviorSanitizer (scripts/sanitize.sh;
#      SANITIZE=0 skips),
#   3. the normal build with warnings as errors, and every suite through CTest, last, so that
#      its summary line closes the output.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

scripts/setup.sh
started=$(date +%s)

if [[ ${FUZZ_SECONDS:-20} != 0 ]]; then
  scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
fi
if [[ ${SANITIZE:-1} != 0 ]]; then
  scripts/sanitize.sh
fi

jobs=$(nproc 2>/dev/null || echo 2)
build=${BUILD_DIR:-build}
# -g1 (line tables: every frame of a backtrace keeps its file:line) instead of -g: a quarter less
# compile time for the test files on CI's two cores, the same code.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
      -DTASKLEDGER_WERROR=ON >/dev/null
cmake --build "$build" -j"$jobs"
echo "test: $(($(date +%s) - started)) s so far; running every suite"
ctest --test-dir "$build" --output-on-failure -j"$jobs" --timeout 900
