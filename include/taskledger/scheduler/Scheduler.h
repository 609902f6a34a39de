#pragma once
// The reconciliation run: asks about every due, unresolved task of a profile as fast as each
// access host's rate limit allows, and records every answer.
//
// One thread (the caller of run()) decides everything and is the only one that writes the ledger;
// the API port only carries calls out. The thread sleeps in the port's wait() until an answer, the
// next planned moment (a limiter slot, a retry, a request's deadline, the budget) or a signal, and
// never spins. Answers are committed in small transactions (SchedulerOptions::commit_every /
// commit_interval), so a crash loses at most the answers of the last moments, which the next run
// simply asks again.
//
// How many requests are in flight per host follows the latency seen: rate x recent latency, with
// headroom, at least one second's sends (rate) and at most kMaxInFlightPerHost, so that a slow
// API still gets the full rate. Until a host first answers, it gets two (slow start): a region
// that refuses the API, or a host that cannot be reached, costs two requests before it is parked.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "taskledger/domain/Clock.h"
#include "taskledger/domain/ExitCode.h"
#include "taskledger/domain/TaskStatusApi.h"
#include "taskledger/scheduler/Backoff.h"
#include "taskledger/scheduler/RateLimiter.h"
#include "taskledger/scheduler/RunProgress.h"
#include "taskledger/store/TaskStore.h"

namespace taskledger::scheduler {

struct SchedulerOptions {
  std::string profile = "default";
  int rate = 20;                      // sends per sliding second per access host
  std::size_t batch = 200;            // tasks fetched from the ledger at a time (per region)
  Millis max_duration{10 * 60'000};   // the run's time budget
  // The end of a budget shared by several profiles run side by side (runProfiles): the run ends
  // by then, however late it started, but is given at least a second to answer what is due.
  std::optional<TimePoint> ends_by;
  bool until_done = false;            // wait for tasks that become due later, until none is left
  Millis give_up_after{7 * 86'400'000LL};  // unresolved this long after submission: expired
  int max_retries = 4;                // retryable errors per task within one run
  int max_unknown_code = 3;           // answers with an unknown error code before rejecting
  // FailedOperation answers, counted over every run (the task's checks), before rejecting: the
  // cause is not documented and may pass, so one bad moment does not reject a task.
  int max_failed_operations = 5;
  int give_up_consecutive = 40;       // retryable failures in a row with no answer: exit 75
  std::size_t commit_every = 100;     // answers per transaction ...
  Millis commit_interval{250};        // ... or this long, whichever comes first
  Millis progress_interval{500};
  std::uint64_t seed = std::random_device{}();
  // Requests in flight at most, over every host; 0: kMaxInFlightPerHost per host.
  std::size_t concurrency = 0;
  // A request not answered this long after it was released is aborted: its total deadline,
  // whatever the server does (a byte a second keeps no request alive).
  Millis timeout{10'000};
  // After SIGINT/SIGTERM, answers in flight get this long to arrive before they are aborted.
  Millis stop_grace{1'000};
};

// Requests in flight per host at most, however slow the API: 20/s at 2 s latency needs about 40.
inline constexpr std::size_t kMaxInFlightPerHost = 64;

struct RunOutcome {
  ExitCode exit = ExitCode::Ok;
  std::string reason;  // "done", "budget", "nothing due", "signal", "AuthFailure...: ..."
  store::RunStats stats;
  std::int64_t expired = 0;
  std::int64_t unresolved_left = 0;
  std::map<std::string, std::size_t> rate_limited_by_host;
  // Regions parked for the run (refused, or their host unreachable): region -> "code: message".
  // Their tasks were left due; the run ends with exit 1 and its reason names them.
  std::map<std::string, std::string> parked_regions;
  std::int64_t unknown_statuses = 0;  // answers with a Status outside 0..2 (tasks kept in progress)
};

class Scheduler {
 public:
  using HostFor = std::function<std::string(const std::string& region)>;

  // One credential's run: `api` signs with it, and every limiter of the run is for it.
  Scheduler(store::TaskStore& store, TaskStatusApi& api, Clock& clock, HostFor host_for,
            SchedulerOptions options, RunProgress& progress);

  // Runs until nothing is due (or, with until_done, nothing is unresolved), the budget ends, a
  // run-level error stops it, or stop() is called. Records the run in the ledger.
  RunOutcome run(std::int64_t run_id);

  // Thread-safe, callable from a signal-handling thread: no new requests; answers in flight are
  // recorded if they come within stop_grace, the rest aborted; run() returns with Interrupted
  // (SIGINT) or Terminated (SIGTERM).
  void stop(int signal_number);

 private:
  class Run;
  store::TaskStore& store_;
  TaskStatusApi& api_;
  Clock& clock_;
  HostFor host_for_;
  SchedulerOptions options_;
  RunProgress& progress_;
  std::atomic<int> stop_signal_{0};
};

}  // namespace taskledger::scheduler
