#pragma once
// Virtual time for the core's tests: the fake API port (SimulatedApi) moves it to the moment a real
// wait would have ended, and a sleep jumps it forward at once.
#include <atomic>

#include "taskledger/domain/Clock.h"

namespace taskledger::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = fromUnixSeconds(1'800'000'000)) : now_(start) {}
  TimePoint now() const override { return now_.load(); }
  void sleepUntil(TimePoint until) override { advanceTo(until); }
  void advanceTo(TimePoint t) {
    TimePoint cur = now_.load();
    while (t > cur && !now_.compare_exchange_weak(cur, t)) {
    }
  }
  void advance(Millis d) { advanceTo(now() + d); }

 private:
  std::atomic<TimePoint> now_;
};

}  // namespace taskledger::testing
