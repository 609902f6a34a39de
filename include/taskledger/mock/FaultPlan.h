#pragma once
// Faults the local endpoint injects on request, each with a probability per request.
//
// Whether request number k (0-based, counted per TaskId) about a task is faulted is a pure function
// of (seed, TaskId, k): the same seed gives the same faults for the same per-task request sequence,
// however requests about different tasks interleave across connections and threads.
//
// A faulted request never consumes a step of the task's scripted history: only real status answers
// do, so a poller's final states are those of the scenario whatever the faults.
#include <cstdint>
#include <string>

#include "taskledger/domain/Time.h"

namespace taskledger::mock {

enum class Fault {
  None,
  Http500,         // HTTP 500 with a short text body: not the API's envelope
  InternalError,   // HTTP 200, {"Response":{"Error":{"Code":"InternalError",...},"RequestId":...}}
  Drop,            // the connection is closed (TCP reset) without any answer
  Slow,            // waits FaultPlan::slow_for, then answers what the next check would, unconsumed
  Truncated,       // HTTP 200 with a well-framed body whose JSON is cut in half
  RateLimitBurst,  // RequestLimitExceeded for this (SecretId, Host) during FaultPlan::burst_for
};

const char* faultName(Fault f);  // "http500", "internal", "drop", "slow", "truncated", "ratelimit-burst"

struct FaultPlan {
  // Probabilities per request, each in [0, 1]; their sum must be <= 1.
  double http500 = 0;
  double internal = 0;
  double drop = 0;
  double slow = 0;
  double truncated = 0;
  double ratelimit_burst = 0;

  Millis slow_for{15000};   // how long a Slow answer waits (beyond the client's timeout)
  Millis burst_for{1000};   // how long a rate-limit burst lasts

  bool any() const;

  // The fault for request `k` about `task_id` under `seed`.
  Fault pick(std::uint64_t seed, const std::string& task_id, std::uint64_t k) const;

  // "http500=0.05,internal=0.05,drop=0.05,slow=0.03,truncated=0.02,ratelimit-burst=0.01", and
  // optionally "slow-for=15s,burst-for=1s".
  // Throws taskledger::Error (Usage) naming the bad item.
  static FaultPlan parse(const std::string& text);
};

}  // namespace taskledger::mock
