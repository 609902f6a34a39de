#pragma once
// What a run tells the operator while it works. The CLI renders it as a live terminal line, as
// plain start/summary lines for cron, or as JSON lines.
#include <cstdint>
#include <string>

#include "taskledger/store/TaskStore.h"

namespace taskledger::scheduler {

struct ProgressSnapshot {
  store::RunStats stats;
  std::int64_t remaining = 0;  // unresolved tasks not yet resolved in this run
  std::int64_t waiting = 0;    // of those, waiting on a backoff or on their next check
  double rate = 0;             // answers per second over the run so far
  Millis elapsed{0};
  // Until the remaining tasks are all asked, as far as the run can tell: the longer of asking
  // them at the rate of the hosts with work and waiting for the last backoff or next check.
  // Never zero while a task remains.
  Millis eta{0};
  Millis budget_left{0};  // until the run's deadline
};

class RunProgress {
 public:
  virtual ~RunProgress() = default;
  virtual void started(std::int64_t due, std::int64_t unresolved, std::size_t hosts, std::size_t concurrency) = 0;
  virtual void progress(const ProgressSnapshot& snapshot) = 0;
  // A run-level problem worth a line of its own (a host pausing for the rate limit, a stop).
  virtual void problem(const std::string& line) = 0;
  // One answer taken in, for --verbose: the host asked, the task's RequestId, the outcome as the
  // checks table stores it ("status:0", an API error code, a timeout) and the round trip.
  // Values are the server's: a renderer escapes them. Says nothing unless overridden.
  virtual void answered(const std::string& /*host*/, const std::string& /*request_id*/,
                        const std::string& /*outcome*/, long long /*latency_ms*/) {}
  // The lines that follow are about this profile's part of a run over `count` profiles.
  virtual void profileStarting(const std::string& /*profile*/, std::size_t /*count*/) {}
};

// Says nothing: for tests and --quiet.
class SilentProgress final : public RunProgress {
 public:
  void started(std::int64_t, std::int64_t, std::size_t, std::size_t) override {}
  void progress(const ProgressSnapshot&) override {}
  void problem(const std::string&) override {}
};

}  // namespace taskledger::scheduler
