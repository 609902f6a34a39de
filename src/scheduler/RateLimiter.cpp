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
  const auto r = static_cast<std::size_t>(effectiveRateLocked(now));
  // The r-th latest send, a write under way counting as one made now. The scheduler asks this for
  // every host on every turn, and mostly nothing is being written: sends_ is sorted already.
  if (writing_ == 0) {
    if (sends_.size() >= r) t = std::max(t, sends_[sends_.size() - r] + kWindow + margin_);
    return t;
  }
  std::vector<TimePoint> recent(sends_.begin(), sends_.end());
  recent.insert(recent.end(), static_cast<std::size_t>(writing_), now);
  if (recent.size() >= r) {
    std::nth_element(recent.begin(), recent.end() - static_cast<std::ptrdiff_t>(r), recent.end());
    t = std::max(t, recent[recent.size() - r] + kWindow + margin_);
  }
  return t;
}

void RateLimiter::insertLocked(TimePoint at, TimePoint now) {
  sends_.insert(std::upper_bound(sends_.begin(), sends_.end(), at), at);
  // Forgotten by age, not by count: a place held and later freed must not have pushed out a send
  // that still shares a window with the next.
  while (!sends_.empty() && sends_.front() + kWindow + margin_ <= now) sends_.pop_front();
}

void RateLimiter::reserve(TimePoint at) {
  std::lock_guard lock(mutex_);
  insertLocked(at, at);
}

TimePoint RateLimiter::admit(std::optional<TimePoint> slot, TimePoint now) {
  std::lock_guard lock(mutex_);
  // The held place stands in for this write until it goes. (Gone from the log already when
  // rate_ later sends pushed it out: then there is nothing to replace.)
  if (slot) {
    auto it = std::find(sends_.begin(), sends_.end(), *slot);
    if (it != sends_.end()) sends_.erase(it);
  }
  // Not before the latest place held: a slot is only ever checked against the sends before it.
  TimePoint at = nextSlotLocked(now);
  if (!sends_.empty()) at = std::max(at, sends_.back());
  if (at <= now) {
    ++writing_;
    return now;
  }
  insertLocked(at, now);
  return at;
}

void RateLimiter::written(TimePoint at) {
  std::lock_guard lock(mutex_);
  writing_ = std::max(0, writing_ - 1);
  insertLocked(at, at);
}

namespace {
class LimiterGate final : public WriteGate {
 public:
  LimiterGate(std::shared_ptr<RateLimiter> limiter, TimePoint reserved)
      : limiter_(std::move(limiter)), slot_(reserved) {}

  TimePoint admit(TimePoint now) override {
    const TimePoint at = limiter_->admit(slot_, now);
    // Gone: a resend after a dead connection holds no place yet, and must not free another's.
    slot_ = at > now ? std::optional<TimePoint>(at) : std::nullopt;
    return at;
  }
  void written(TimePoint now) override { limiter_->written(now); }

 private:
  const std::shared_ptr<RateLimiter> limiter_;
  std::optional<TimePoint> slot_;
};
}  // namespace

std::shared_ptr<WriteGate> RateLimiter::gate(std::shared_ptr<RateLimiter> limiter, TimePoint reserved) {
  return std::make_shared<LimiterGate>(std::move(limiter), reserved);
}

void RateLimiter::penalize(TimePoint now, TimePoint sent) {
  std::lock_guard lock(mutex_);
  penalizeLocked(now, sent, false);
}

void RateLimiter::penalizeShared(TimePoint now, TimePoint sent) {
  std::lock_guard lock(mutex_);
  penalizeLocked(now, sent, true);
}

void RateLimiter::penalizeLocked(TimePoint now, TimePoint sent, bool shared) {
  if (penalties_ > 0 && sent < reduced_at_) return;
  const int current = effectiveRateLocked(now);
  const int lowered = shared ? current * 3 / 4 : current - 1;
  reduction_ = rate_ - std::max(1, std::min(lowered, current - 1));
  reduced_at_ = now;
  paused_until_ = std::max(paused_until_, now + kWindow + margin_);
  ++penalties_;
}

}  // namespace taskledger::scheduler
