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
  std::lock_guard lock(mutex_);
  return effectiveRateLocked(now);
}

std::size_t RateLimiter::penalties() const {
  std::lock_guard lock(mutex_);
  return penalties_;
}

int RateLimiter::effectiveRateLocked(TimePoint now) const {
  int recovered = reduced_at_ == TimePoint{} ? reduction_ : static_cast<int>((now - reduced_at_) / kRecoveryStep);
  return std::max(1, rate_ - std::max(0, reduction_ - recovered));
}

TimePoint RateLimiter::nextSlot(TimePoint now) const {
  std::lock_guard lock(mutex_);
  return nextSlotLocked(now);
}

TimePoint RateLimiter::nextSlotLocked(TimePoint now) const {
  TimePoint t = std::max(now, paused_until_);
  auto r = static_cast<std::size_t>(effectiveRateLocked(now));
  if (sends_.size() >= r) t = std::max(t, sends_[sends_.size() - r] + kWindow + margin_);
  return t;
}

void RateLimiter::insertLocked(TimePoint at) {
  sends_.insert(std::upper_bound(sends_.begin(), sends_.end(), at), at);
  while (sends_.size() > static_cast<std::size_t>(rate_)) sends_.pop_front();
}

void RateLimiter::reserve(TimePoint at) {
  std::lock_guard lock(mutex_);
  insertLocked(at);
}

TimePoint RateLimiter::admit(TimePoint reserved, TimePoint now) {
  std::lock_guard lock(mutex_);
  // The reservation stood in for this write; the write itself takes its place. (Gone from the
  // log already when rate_ later sends pushed it out: then there is nothing to replace.)
  auto it = std::find(sends_.begin(), sends_.end(), reserved);
  if (it != sends_.end()) sends_.erase(it);
  // Not before the latest write admitted: a slot is only ever checked against the sends before it.
  TimePoint at = nextSlotLocked(now);
  if (!sends_.empty()) at = std::max(at, sends_.back());
  insertLocked(at);
  return at;
}

void RateLimiter::penalize(TimePoint now, TimePoint sent) {
  std::lock_guard lock(mutex_);
  if (penalties_ > 0 && sent < reduced_at_) return;
  int current_reduction = rate_ - effectiveRateLocked(now);
  reduction_ = std::min(rate_ - 1, current_reduction + 1);
  reduced_at_ = now;
  paused_until_ = std::max(paused_until_, now + kWindow + margin_);
  ++penalties_;
}

}  // namespace taskledger::scheduler
