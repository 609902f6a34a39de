#pragma once
// How long to wait before asking again. Pure functions of the attempt and a random draw, so tests
// can pin the jitter.
#include <random>

#include "taskledger/domain/Time.h"

namespace taskledger::scheduler {

struct BackoffPolicy {
  // After an "in progress" answer: 5 s, 10 s, 20 s, ... capped at 5 minutes (Terraform's poller
  // uses a similar ladder), ±20% jitter so a batch imported together spreads out.
  Millis poll_first{5'000};
  Millis poll_cap{300'000};
  // After a retryable error within a run: 500 ms, 1 s, 2 s ... capped at 30 s, ±20% jitter.
  Millis retry_first{500};
  Millis retry_cap{30'000};
  // After a FailedOperation answer (cause not documented, asked once per run): 1 min, 2 min,
  // 4 min ... capped at an hour, so the answers that reject a task come from runs spread over
  // a quarter of an hour and more, not from one bad moment.
  Millis failed_operation_first{60'000};
  Millis failed_operation_cap{3'600'000};
  double jitter = 0.2;

  // n = how many in-progress answers the task has had (1 for the first).
  Millis pollDelay(int n, std::mt19937_64& rng) const;
  // n = the retry number within this run (1 for the first retry).
  Millis retryDelay(int n, std::mt19937_64& rng) const;
  // n = how many FailedOperation answers the task has had, over every run (1 for the first).
  Millis failedOperationDelay(int n, std::mt19937_64& rng) const;
};

}  // namespace taskledger::scheduler
