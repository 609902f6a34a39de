#pragma once
// The wall clock, whose pauses a stop signal ends at once (CallRegistry): `discover` pauses
// between CloudAudit calls (pacing, backoff of up to 8 s), and SIGTERM must not wait them out.
#include "taskledger/domain/Clock.h"

namespace taskledger::cli {

class StoppableClock final : public Clock {
 public:
  TimePoint now() const override { return clock_.now(); }
  void sleepUntil(TimePoint until) override;

 private:
  SystemClock clock_;
};

}  // namespace taskledger::cli
