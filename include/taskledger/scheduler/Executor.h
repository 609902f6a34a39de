#pragma once
// Where the scheduler's API calls run. The scheduler decides what to send and when; an executor
// only carries calls out. AsyncExecutor runs them on the scheduler's own thread through one
// AsyncTaskStatusApi (non-blocking connections); tests use an inline executor driven by a fake
// clock.
#include <cstdint>
#include <string>
#include <vector>

#include "taskledger/domain/CheckResult.h"
#include "taskledger/domain/TaskStatusApi.h"
#include "taskledger/domain/Time.h"

namespace taskledger::scheduler {

struct Job {
  std::int64_t task_id = 0;
  TaskQuery query;
  std::string host;     // the rate-limited access host
  TimePoint sent_at{};  // when the scheduler released it
  int retry = 0;        // retries of this task within this run
  bool resent = false;  // already resent once after a stale kept-alive connection
};

struct JobResult {
  Job job;
  CheckResult result;
};

class Executor {
 public:
  virtual ~Executor() = default;
  // How many more jobs can run now.
  virtual std::size_t idle() const = 0;
  // Whether a job for `host` can go now on a connection already open to it, costing no TCP and
  // TLS handshake.
  virtual bool warmFor(const std::string& host) const = 0;
  virtual void submit(Job job) = 0;
  // When a result should end a takeResults() wait. Waking the caller for every answer costs a
  // context switch per check; while it only waits for the rate limiter's next slot, the answers
  // can wait for that wake-up.
  enum class Wake { OnResult, AtDeadline };
  // Results finished so far. With Wake::OnResult, when there are none, waits until one arrives,
  // `deadline` passes, or interrupt() is called; with Wake::AtDeadline, waits until `deadline` or
  // interrupt() and returns what finished meanwhile.
  virtual std::vector<JobResult> takeResults(TimePoint deadline, Wake wake = Wake::OnResult) = 0;
  // Wakes a takeResults() wait (from another thread, e.g. on SIGTERM).
  virtual void interrupt() = 0;
};

}  // namespace taskledger::scheduler
