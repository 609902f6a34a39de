#pragma once
// The whole `run` of one profile, from the ledger's point of view: expire what is too old, take
// the cheap path when nothing is due (no credentials, no connections), otherwise open the run
// record, reconcile with a Scheduler while SIGINT/SIGTERM are watched, and close the record.
// The CLI only parses flags, holds the run lock, and prints.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "taskledger/domain/Clock.h"
#include "taskledger/domain/ExitCode.h"
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

// `run` over several profiles (DESIGN.md, run, Profiles): every profile with work at the same
// time, each on its own thread with its own credentials and so its own limiters per
// (credential, host): Tencent counts 20/s per API, host and sub-account.
struct ProfilesOptions {
  // job.scheduler.max_duration is the whole run's budget, and every profile gets all of it.
  RunJobOptions job;
  std::optional<std::string> only;   // --profile: just this one, whether it has work or not
  std::string fallback = "default";  // no profile has work: the one whose "nothing due" run is recorded
};

struct ProfileRun {
  std::string profile;
  RunJobResult result;
  // Its credentials were missing or refused before it started (result.outcome says why, with
  // the error's exit code); it has a run record, and its tasks are untouched.
  bool skipped = false;
};

struct ProfilesResult {
  std::vector<ProfileRun> profiles;  // in name order
  ExitCode exit = ExitCode::Ok;      // the worst of theirs (worseExit)
};

// Makes the API port of one profile: its own credentials, loaded now. Throws taskledger::Error
// when they are missing or refused; that profile is then skipped and the others go on.
using ProfileApiMaker = std::function<std::shared_ptr<TaskStatusApi>(const std::string& profile, std::size_t hosts)>;

// Runs the profiles side by side; `done` is told of each as it ends (one call at a time, on
// the profile's thread). `store` and `progress` are only used by one thread at a time; a stop
// signal ends every profile.
ProfilesResult runProfiles(store::TaskStore& store, Clock& clock, const Scheduler::HostFor& host_for,
                           const ProfileApiMaker& make_api, const ProfilesOptions& options, RunProgress& progress,
                           const std::function<void(const ProfileRun&)>& done = {});

// The exit code that says more of the two: a stop signal, then a failure (1, 2), then refused
// credentials (77), then "try later" (75), then success.
ExitCode worseExit(ExitCode a, ExitCode b);

}  // namespace taskledger::scheduler
