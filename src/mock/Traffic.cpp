#include "Traffic.h"

#include <algorithm>
#include <iterator>

namespace taskledger::mock {

namespace {
// A late stamp is late by a descheduled thread's delay, never by seconds; windows that can hold an
// event this old are long past.
constexpr std::chrono::seconds kMemory{5};
constexpr std::chrono::seconds kWindow{1};
}  // namespace

int SlidingSecond::peakWith(SteadyTime t) const {
  // The windows holding t end at u in [t, t + 1 s); their counts change only at events, so the
  // ends worth looking at are t itself and every event in (t, t + 1 s).
  int peak = 0;
  const auto countEndingAt = [&](SteadyTime u) {
    const auto n = std::distance(times_.upper_bound(u - kWindow), times_.upper_bound(u));
    peak = std::max(peak, static_cast<int>(n) + 1);
  };
  countEndingAt(t);
  for (auto it = times_.upper_bound(t); it != times_.end() && *it < t + kWindow; ++it) countEndingAt(*it);
  return peak;
}

int SlidingSecond::add(SteadyTime t) {
  const int peak = peakWith(t);
  times_.insert(t);
  const SteadyTime horizon = *times_.rbegin() - kMemory;
  times_.erase(times_.begin(), times_.lower_bound(horizon));
  return peak;
}

void Traffic::arrive(const std::string& secret_id, const std::string& host, SteadyTime t) {
  std::lock_guard lock(mutex_);
  ++totals_.requests;
  totals_.max_arrivals_1s = std::max(totals_.max_arrivals_1s, all_arrivals_.add(t));
  PerKey& k = keys_[{host, secret_id}];
  ++k.stats.requests;
  k.stats.max_arrivals_1s = std::max(k.stats.max_arrivals_1s, k.arrivals.add(t));
}

Traffic::Admission Traffic::admit(const std::string& secret_id, const std::string& host, SteadyTime t) {
  std::lock_guard lock(mutex_);
  PerKey& k = keys_[{host, secret_id}];
  // Kept only when there is an account limit to check against.
  SlidingSecond* account = account_rate_ > 0 ? &accounts_[secret_id] : nullptr;
  Admission a = Admission::Accepted;
  if (t < k.burst_until || (rate_ > 0 && k.accepted.peakWith(t) > rate_)) {
    a = Admission::OverHostRate;
  } else if (account && account->peakWith(t) > account_rate_) {
    a = Admission::OverAccountRate;
  }
  if (a != Admission::Accepted) {
    ++k.stats.rate_limited;
    return a;
  }
  k.stats.max_accepted_1s = std::max(k.stats.max_accepted_1s, k.accepted.add(t));
  if (account) account->add(t);
  return a;
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
