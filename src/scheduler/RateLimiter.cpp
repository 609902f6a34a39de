#include "taskledger/scheduler/RateLimiter.h"

#include <algorithm>

namespace taskledger::scheduler {
namespace {
// After a penalty, one unit of rate comes back per this much time without another.
constexpr Millis kRecoveryStep{5'000};
}  // namespace

RateLimiter::RateLimiter(int rate, Millis margin) : rate_(std::max(1, rate)), margin_(margin) {}

void RateLimiter::seed(const std::vector<TimePoint>& sends) {
  for (TimePoint t : sends) reserve(t);
}

int RateLimiter::effectiveRate(TimePoint now) const {
  int recovered = reduced_at_ == TimePoint{} ? reduction_ : static_cast<int>((now - reduced_at_) / kRecoveryStep);
  return std::max(1, rate_ - std::max(0, reduction_ - recovered));
}

TimePoint RateLimiter::nextSlot(TimePoint now) const {
  TimePoint t = std::max(now, paused_until_);
  auto r = static_cast<std::size_t>(effectiveRate(now));
  if (sends_.size() >= r) t = std::max(t, sends_[sends_.size() - r] + kWindow + margin_);
  return t;
}

void RateLimiter::reserve(TimePoint at) {
  sends_.push_back(at);
  while (sends_.size() > static_cast<std::size_t>(rate_)) sends_.pop_front();
}

void RateLimiter::confirm(TimePoint reserved, TimePoint written) {
  if (written <= reserved) return;
  auto it = std::find(sends_.begin(), sends_.end(), reserved);
  if (it == sends_.end()) return;  // already out of the log: too old to matter
  *it = written;
  std::sort(sends_.begin(), sends_.end());
}

void RateLimiter::penalize(TimePoint now, TimePoint sent) {
  if (penalties_ > 0 && sent < reduced_at_) return;
  int current_reduction = rate_ - effectiveRate(now);
  reduction_ = std::min(rate_ - 1, current_reduction + 1);
  reduced_at_ = now;
  paused_until_ = std::max(paused_until_, now + kWindow + margin_);
  ++penalties_;
}

}  // namespace taskledger::scheduler
