#pragma once
// Spaces sends to one (credential, host) so that no sliding 1-second window of arrivals holds more
// than `rate` of them, the way Tencent counts its 20/s limit (API.md).
//
// A sliding-window log: the send times of the last `rate` sends. A new send may go once the oldest
// of them is more than window + margin ago. The margin absorbs network jitter that bunches
// arrivals at the server; a token bucket would allow bursts that overfill a window.
#include <cstddef>
#include <deque>
#include <vector>

#include "taskledger/domain/Time.h"

namespace taskledger::scheduler {

class RateLimiter {
 public:
  // Jitter margin: 30 ms keeps 20/s sends at ≥19.4/s achieved while tolerating 30 ms of bunching.
  static constexpr Millis kDefaultMargin{30};
  static constexpr Millis kWindow{1000};

  explicit RateLimiter(int rate, Millis margin = kDefaultMargin);

  // Sends already made (e.g. recorded in the ledger by a previous run), oldest first.
  void seed(const std::vector<TimePoint>& sends);
  // The earliest time a send may go, given those already reserved. Does not reserve.
  TimePoint nextSlot(TimePoint now) const;
  // Records a send at `at` (which must be >= nextSlot(at)).
  void reserve(TimePoint at);
  // The send reserved at `reserved` actually went out at `written` (a new connection's handshake
  // delays it): later slots are measured from the real time.
  void confirm(TimePoint reserved, TimePoint written);
  // The server refused a request sent at `sent` with RequestLimitExceeded: pause for one full
  // server window and lower the rate by one (additive decrease, never below 1); every 5 s without
  // another refusal restores one. Refusals of requests sent before the last penalty are the same
  // episode and change nothing more.
  void penalize(TimePoint now, TimePoint sent);

  int effectiveRate(TimePoint now) const;
  std::size_t penalties() const { return penalties_; }

 private:
  int rate_;
  Millis margin_;
  std::deque<TimePoint> sends_;  // at most rate_ entries, oldest first
  TimePoint paused_until_{};
  int reduction_ = 0;
  TimePoint reduced_at_{};  // also the time of the last penalty
  std::size_t penalties_ = 0;
};

}  // namespace taskledger::scheduler
