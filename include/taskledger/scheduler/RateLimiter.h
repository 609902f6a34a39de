#pragma once
// Spaces sends to one (credential, host) so that no sliding 1-second window of arrivals holds more
// than `rate` of them, the way Tencent counts its 20/s limit (API.md).
//
// A sliding-window log: the send times of the last `rate` sends. A new send may go once the oldest
// of them is more than window + margin ago. The margin absorbs network jitter that bunches
// arrivals at the server; a token bucket would allow bursts that overfill a window.
//
// The scheduler reserves a slot when it decides to send (so it never decides faster than the
// rate); the thread that writes the request then admits it at the moment of writing, which moves
// the slot to that moment and, if the write came so late that it would crowd a window, holds it
// back. So the log holds the real write times, however long a request waited between the decision
// and the socket (a connect, a TLS handshake, a descheduled thread). Thread-safe.
#include <cstddef>
#include <deque>
#include <mutex>
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
  // Records a send decided at `at` (which must be >= nextSlot(at)).
  void reserve(TimePoint at);
  // The send reserved at `reserved` is about to be written at `now`: returns the time it may be
  // written (>= now, and never before a send already admitted), and records it there.
  TimePoint admit(TimePoint reserved, TimePoint now);
  // The server refused a request sent at `sent` with RequestLimitExceeded: pause for one full
  // server window and lower the rate by one (additive decrease, never below 1); every 5 s without
  // another refusal restores one. Refusals of requests sent before the last penalty are the same
  // episode and change nothing more.
  void penalize(TimePoint now, TimePoint sent);

  int effectiveRate(TimePoint now) const;
  std::size_t penalties() const;

 private:
  TimePoint nextSlotLocked(TimePoint now) const;
  int effectiveRateLocked(TimePoint now) const;
  void insertLocked(TimePoint at);

  const int rate_;
  const Millis margin_;
  mutable std::mutex mutex_;
  // protected by mutex_:
  std::deque<TimePoint> sends_;  // at most rate_ entries, oldest first
  TimePoint paused_until_{};
  int reduction_ = 0;
  TimePoint reduced_at_{};  // also the time of the last penalty
  std::size_t penalties_ = 0;
};

}  // namespace taskledger::scheduler
