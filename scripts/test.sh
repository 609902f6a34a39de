#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is missing, builds with warnings on, runs
# every test suite through CTest. Set TASKLEDGER_SANITIZE=0 to skip the sanitizer build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

scripts/setup.sh

jobs=$(nproc 2>/dev/null || echo 2)
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTASKLEDGER_WERROR=ON >/dev/null
cmake --build "$build" -j"$jobs"
ctest --test-dir "$build" --output-on-failure -j"$jobs" --timeout 600
