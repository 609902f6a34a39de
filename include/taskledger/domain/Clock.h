#pragma once
// The one way the core learns the time: tests replace it with a fake that never sleeps. Waiting is
// the API port's (TaskStatusApi::wait), so that one wait hears of answers, deadlines and signals.
#include "taskledger/domain/Time.h"

namespace taskledger {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

// The wall clock. Thread-safe.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override;
};

}  // namespace taskledger
