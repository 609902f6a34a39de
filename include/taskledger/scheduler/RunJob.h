#pragma once
// The whole `run` of one profile, from the ledger's point of view: expire what is too old, take
// the cheap path when nothing is due (no credentials, no connections), otherwise open the run
// record, reconcile with a Scheduler while SIGINT/SIGTERM are watched, and close the record.
// The CLI only parses flags, holds the run lock, and prints.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "taskledger/domain/Clock.h"
#include "taskledger/domain/TaskStatusApi.h"
#include "taskledger/scheduler/RunProgress.h"
#include "taskledger/scheduler/Scheduler.h"
#include "taskledger/store/TaskStore.h"

namespace taskledger::scheduler {

struct RunJobOptions {
  SchedulerOptions scheduler;
  std::string host;      // this machine, for the run record
  std::int64_t pid = 0;  // this process, for the run record
};

struct RunJobResult {
  RunOutcome outcome;
  TimePoint started{}, finished{};
};

// Makes the API port when a run needs one (so a run with nothing due loads no credentials).
// `hosts` is how many access hosts the due tasks use. May throw taskledger::Error.
using ApiMaker = std::function<std::shared_ptr<TaskStatusApi>(std::size_t hosts)>;

// Blocks SIGINT and SIGTERM in the calling thread (and the threads it starts afterwards) and
// watches them while the scheduler runs.
RunJobResult runJob(store::TaskStore& store, Clock& clock, const Scheduler::HostFor& host_for, const ApiMaker& make_api,
                    const RunJobOptions& options, RunProgress& progress);

}  // namespace taskledger::scheduler
