#!/usr/bin/env bash
# Builds everything with AddressSanitizer + UndefinedBehaviorSanitizer in its own build directory
# and runs the whole test suite through CTest. Any sanitizer report fails the test that caused it
# (-fno-sanitize-recover=all, halt_on_error), so a green run means no report at all.
#
#   scripts/sanitize.sh            # build dir build-asan
#   SANITIZE_BUILD_DIR=/tmp/asan scripts/sanitize.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

scripts/setup.sh

jobs=$(nproc 2>/dev/null || echo 2)
build=${SANITIZE_BUILD_DIR:-build-asan}
start=$(date +%s)

# No -Werror here: GCC 12's flow warnings (-Wrestrict, -Wstringop-overflow) give false positives
# on std::string code once the sanitizers instrument it (GCC bugs 105329, 105651). Warnings are
# enforced by the normal build in scripts/test.sh.
# -O1 -g1: the sanitizer manuals' advice for speed with usable reports (line tables give every
# frame its file:line), and a much shorter build on CI's two cores than -O2 -g. No NDEBUG: the
# asserts run too.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
      -DTASKLEDGER_SANITIZE=ON -DTASKLEDGER_WERROR=OFF >/dev/null
cmake --build "$build" -j"$jobs"

# Options only make reports readable and make every finding fatal; nothing is suppressed.
# Leak checking stays on: the programs that initialise Poco's SSL (tencent/TlsTrust, mock/MockServer)
# release its singletons with Poco::Net::uninitializeSSL(), so at exit no third-party leak is left
# to excuse, and any leak report is ours.
export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:report_error_type=1}"

log="$build/ctest.log"
status=0
# Every suite, the timed resilience suite included: its rate windows hold under the sanitizers'
# slowdown since the limiter counts a write from admission to done and the local endpoint stamps
# arrivals with the kernel's receive time (issue 12 item 5).
ctest --test-dir "$build" --output-on-failure -j"$jobs" --timeout 900 2>&1 | tee "$log" || status=$?

echo "sanitize: $(grep -E 'tests passed|tests failed' "$log" | tail -1)"
echo "sanitize: wall time $(($(date +%s) - start)) s (build + tests, $jobs jobs)"
exit "$status"
