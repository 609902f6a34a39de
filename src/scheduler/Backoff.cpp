#include "taskledger/scheduler/Backoff.h"

#include <algorithm>

namespace taskledger::scheduler {
namespace {

Millis exponential(Millis first, Millis cap, int n, double jitter, std::mt19937_64& rng) {
  double base = static_cast<double>(first.count());
  for (int i = 1; i < n && base < static_cast<double>(cap.count()); ++i) base *= 2;
  base = std::min(base, static_cast<double>(cap.count()));
  std::uniform_real_distribution<double> spread(1.0 - jitter, 1.0 + jitter);
  return Millis(static_cast<long long>(base * spread(rng)));
}

}  // namespace

Millis BackoffPolicy::pollDelay(int n, std::mt19937_64& rng) const {
  return exponential(poll_first, poll_cap, std::max(1, n), jitter, rng);
}

Millis BackoffPolicy::retryDelay(int n, std::mt19937_64& rng) const {
  return exponential(retry_first, retry_cap, std::max(1, n), jitter, rng);
}

Millis BackoffPolicy::failedOperationDelay(int n, std::mt19937_64& rng) const {
  return exponential(failed_operation_first, failed_operation_cap, std::max(1, n), jitter, rng);
}

}  // namespace taskledger::scheduler
