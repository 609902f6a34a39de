#pragma once
// The one way the core learns the time or sleeps: tests replace it with a fake that never sleeps.
// The run's waiting is the API port's (TaskStatusApi::wait), so that one wait hears of answers,
// deadlines and signals; a plain pause (discover pacing its CloudAudit calls) is the clock's.
#include "taskledger/domain/Time.h"

namespace taskledger {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
  // Returns at `until` (at once when it has passed).
  virtual void sleepUntil(TimePoint until) = 0;
};

// The wall clock. Thread-safe.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override;
  void sleepUntil(TimePoint until) override;
};

}  // namespace taskledger
