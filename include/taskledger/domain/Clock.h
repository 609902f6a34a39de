#pragma once
// The one way the core learns the time or waits: tests replace it with a fake that never sleeps.
#include "taskledger/domain/Time.h"

namespace taskledger {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
  // Returns at `deadline` or earlier if `wake()` is called (for a graceful stop).
  virtual void sleepUntil(TimePoint deadline) = 0;
  // Wakes every sleeper at once; later sleeps are not affected.
  virtual void wake() = 0;
};

// The wall clock. Thread-safe.
class SystemClock final : public Clock {
 public:
  SystemClock();
  ~SystemClock() override;
  TimePoint now() const override;
  void sleepUntil(TimePoint deadline) override;
  void wake() override;

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace taskledger
