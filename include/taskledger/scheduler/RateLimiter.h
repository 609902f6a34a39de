#pragma once
// Spaces sends to one (credential, host) so that no sliding 1-second window of arrivals holds more
// than `rate` of them, the way Tencent counts its 20/s limit (API.md).
//
// A sliding-window log: the send times of the last `rate` sends. A new send may go once the oldest
// of them is more than window + margin ago. The margin absorbs network jitter that bunches
// arrivals at the server; a token bucket would allow bursts that overfill a window.
//
// The scheduler reserves a slot when it decides to send (so it never decides faster than the
// rate); the thread that writes the request then admits it through its WriteGate at the moment
// of writing, which moves the slot to that moment or holds the write back if it would crowd a
// window. From admission until the write is done it counts as made at every moment, and then at
// the moment it was done. So the log never holds a time earlier than the request can have left,
// however long it waited between the decision and the socket (a connect, a TLS handshake, a
// descheduled thread, a sleep that overslept). Thread-safe.
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "taskledger/domain/TaskStatusApi.h"
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
  // The send held at `slot` (its reservation, or the time an earlier admit gave it; none once it
  // has gone) is ready to be written at `now`. Returns `now` when it may go: it then counts as
  // under way until written(). Otherwise returns when to ask again, and holds that place; a
  // send is never admitted before one already waiting.
  TimePoint admit(std::optional<TimePoint> slot, TimePoint now);
  // A write admitted earlier is done (or failed) at `at`.
  void written(TimePoint at);
  // The gate for a send reserved at `reserved`.
  static std::shared_ptr<WriteGate> gate(std::shared_ptr<RateLimiter> limiter, TimePoint reserved);

  // The server refused a request sent at `sent` with RequestLimitExceeded: pause for one full
  // server window and lower the rate by one (additive decrease, never below 1); every 5 s without
  // another refusal restores one. Refusals of requests sent before the last penalty are the same
  // episode and change nothing more.
  void penalize(TimePoint now, TimePoint sent);
  // The same for a limit of the whole account (UinLimitExceeded, ...), refused at one host and
  // applied to each: that limit is unknown and shared by every host of the credential, so the
  // rate is cut by a quarter instead of by one, and n hosts find their share in a few episodes.
  void penalizeShared(TimePoint now, TimePoint sent);

  int effectiveRate(TimePoint now) const;
  std::size_t penalties() const;

 private:
  TimePoint nextSlotLocked(TimePoint now) const;
  int effectiveRateLocked(TimePoint now) const;
  void insertLocked(TimePoint at, TimePoint now);
  void penalizeLocked(TimePoint now, TimePoint sent, bool shared);

  const int rate_;
  const Millis margin_;
  mutable std::mutex mutex_;
  // protected by mutex_:
  std::deque<TimePoint> sends_;  // oldest first; those that can share a window with a send now
  int writing_ = 0;              // admitted, not yet written: each counts as a send made now
  TimePoint paused_until_{};
  int reduction_ = 0;
  TimePoint reduced_at_{};  // also the time of the last penalty
  std::size_t penalties_ = 0;
};

}  // namespace taskledger::scheduler
