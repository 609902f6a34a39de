#include "Traffic.h"

#include <algorithm>

namespace taskledger::mock {

int SlidingSecond::countAt(SteadyTime t) {
  const SteadyTime horizon = t - std::chrono::seconds(1);
  while (!times_.empty() && times_.front() <= horizon) times_.pop_front();
  return static_cast<int>(times_.size());
}

void Traffic::arrive(const std::string& secret_id, const std::string& host, SteadyTime t) {
  std::lock_guard lock(mutex_);
  ++totals_.requests;
  all_arrivals_.add(t);
  totals_.max_arrivals_1s = std::max(totals_.max_arrivals_1s, all_arrivals_.countAt(t));
  PerKey& k = keys_[{host, secret_id}];
  ++k.stats.requests;
  k.arrivals.add(t);
  k.stats.max_arrivals_1s = std::max(k.stats.max_arrivals_1s, k.arrivals.countAt(t));
}

bool Traffic::admit(const std::string& secret_id, const std::string& host, SteadyTime t) {
  std::lock_guard lock(mutex_);
  PerKey& k = keys_[{host, secret_id}];
  int in_window = k.accepted.countAt(t);
  if (t < k.burst_until || (rate_ > 0 && in_window >= rate_)) {
    ++k.stats.rate_limited;
    return false;
  }
  k.accepted.add(t);
  k.stats.max_accepted_1s = std::max(k.stats.max_accepted_1s, in_window + 1);
  return true;
}

void Traffic::startBurst(const std::string& secret_id, const std::string& host, SteadyTime until) {
  std::lock_guard lock(mutex_);
  PerKey& k = keys_[{host, secret_id}];
  k.burst_until = std::max(k.burst_until, until);
}

void Traffic::answered(const std::string& outcome) {
  std::lock_guard lock(mutex_);
  ++totals_.outcomes[outcome];
  if (outcome.rfind("AuthFailure", 0) == 0) ++totals_.signature_failures;
  if (outcome.rfind("RequestLimitExceeded", 0) == 0) ++totals_.rate_limited;
}

MockStats Traffic::snapshot() const {
  std::lock_guard lock(mutex_);
  MockStats s = totals_;
  s.by_key.reserve(keys_.size());
  for (const auto& [key, k] : keys_) {
    KeyStats ks = k.stats;
    ks.host = key.first;
    ks.secret_id = key.second;
    s.by_key.push_back(std::move(ks));
  }
  return s;
}

}  // namespace taskledger::mock
