#pragma once
// The reconciliation run: asks about every due, unresolved task of a profile as fast as each
// access host's rate limit allows, and records every answer.
//
// One thread (the caller of run()) decides everything and is the only one that writes the ledger;
// the executor only makes API calls. Answers are taken in at the thread's next wake-up
// and committed in small transactions (SchedulerOptions::commit_every / commit_interval), so a
// crash loses at most the answers of the last moments, which the next run simply asks again.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "taskledger/domain/Clock.h"
#include "taskledger/domain/ExitCode.h"
#include "taskledger/scheduler/Backoff.h"
#include "taskledger/scheduler/Executor.h"
#include "taskledger/scheduler/RateLimiter.h"
#include "taskledger/scheduler/RunProgress.h"
#include "taskledger/store/TaskStore.h"

namespace taskledger::scheduler {

struct SchedulerOptions {
  std::string profile = "default";
  int rate = 20;                      // sends per sliding second per access host
  std::size_t batch = 200;            // tasks fetched from the ledger at a time (per region)
  Millis max_duration{10 * 60'000};   // the run's time budget
  bool until_done = false;            // wait for tasks that become due later, until none is left
  Millis give_up_after{7 * 86'400'000LL};  // unresolved this long after submission: expired
  int max_retries = 4;                // retryable errors per task within one run
  int max_unknown_code = 3;           // answers with an unknown error code before rejecting
  int give_up_consecutive = 40;       // retryable failures in a row with no answer: exit 75
  std::size_t commit_every = 100;     // answers per transaction ...
  Millis commit_interval{250};        // ... or this long, whichever comes first
  Millis progress_interval{500};
  std::uint64_t seed = std::random_device{}();
  std::string credential_id;          // the SecretId: part of each limiter's key, never secret
};

struct RunOutcome {
  ExitCode exit = ExitCode::Ok;
  std::string reason;  // "done", "budget", "nothing due", "signal", "AuthFailure...: ..."
  store::RunStats stats;
  std::int64_t expired = 0;
  std::int64_t unresolved_left = 0;
  std::map<std::string, std::size_t> rate_limited_by_host;
};

class Scheduler {
 public:
  using HostFor = std::function<std::string(const std::string& region)>;

  Scheduler(store::TaskStore& store, Executor& executor, Clock& clock, HostFor host_for,
            SchedulerOptions options, RunProgress& progress);

  // Runs until nothing is due (or, with until_done, nothing is unresolved), the budget ends, a
  // run-level error stops it, or stop() is called. Records the run in the ledger.
  RunOutcome run(std::int64_t run_id);

  // Thread-safe, callable from a signal-handling thread: no new requests; answers in flight are
  // recorded; run() returns with Interrupted (SIGINT) or Terminated (SIGTERM).
  void stop(int signal_number);

 private:
  class Run;
  store::TaskStore& store_;
  Executor& executor_;
  Clock& clock_;
  HostFor host_for_;
  SchedulerOptions options_;
  RunProgress& progress_;
  std::atomic<int> stop_signal_{0};
};

}  // namespace taskledger::scheduler
