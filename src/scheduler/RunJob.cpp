#include "taskledger/scheduler/RunJob.h"

#include <algorithm>
#include <exception>
#include <mutex>
#include <set>
#include <thread>

#include "taskledger/domain/Error.h"
#include "taskledger/domain/Validation.h"

#include "ProfileProgress.h"
#include "SharedLedger.h"
#include "taskledger/scheduler/SignalWatcher.h"

namespace taskledger::scheduler {
namespace {

// A run that fails on the ledger itself (a full disk, a lock held too long) still gets its
// finished_at and reason when the ledger takes one more small write; when not, the first error
// is the one to report.
void closeFailedRun(store::TaskStore& store, std::int64_t run_id, TimePoint now, const std::string& why) {
  try {
    store.finishRun(run_id, now, {}, "failed: " + why);
  } catch (const std::exception&) {
    // Nothing more can be written; the caller reports `why`.
  }
}

}  // namespace

RunJobResult runJob(store::TaskStore& store, Clock& clock, const Scheduler::HostFor& host_for, const ApiMaker& make_api,
                    const RunJobOptions& options, RunProgress& progress) {
  const SchedulerOptions& opt = options.scheduler;
  RunJobResult result;
  result.started = clock.now();
  const bool nothing_to_do = store.dueTasks(opt.profile, "", result.started, 1).empty() &&
                             (!opt.until_done || store.countUnresolved(opt.profile) == 0);
  const auto begin = [&] {
    return store.beginRun({0, result.started, {}, options.host, options.pid, opt.profile, {}, ""});
  };
  std::int64_t run_id = 0;
  if (nothing_to_do) {
    // The cheap path cron takes most of the time: no credentials, no connections.
    run_id = begin();
    result.outcome.expired = store.expireUnresolved(opt.profile, result.started - opt.give_up_after, result.started);
    result.outcome.reason = "nothing due";
    result.outcome.unresolved_left = store.countUnresolved(opt.profile);
  } else {
    std::set<std::string> hosts;
    for (const auto& region : store.unresolvedRegions(opt.profile)) hosts.insert(host_for(region));
    // Before any thread starts, so that every thread inherits the mask and only the watcher
    // receives SIGINT/SIGTERM.
    SignalWatcher::blockStopSignals();
    std::shared_ptr<TaskStatusApi> api = make_api(hosts.size());
    Scheduler scheduler(store, *api, clock, host_for, opt, progress);
    SignalWatcher signals([&scheduler](int sig) { scheduler.stop(sig); });
    run_id = begin();
    try {
      result.outcome = scheduler.run(run_id);
    } catch (const std::exception& e) {
      closeFailedRun(store, run_id, clock.now(), e.what());
      throw;
    }
  }
  result.finished = clock.now();
  store.finishRun(run_id, result.finished, result.outcome.stats, result.outcome.reason);
  return result;
}

namespace {

int severity(ExitCode code) {
  switch (code) {
    case ExitCode::Ok: return 0;
    case ExitCode::TryLater: return 1;
    case ExitCode::AuthRefused: return 2;
    case ExitCode::Interrupted:
    case ExitCode::Terminated: return 4;
    default: return 3;
  }
}

// One profile's part of the run, with its own port (so its own limiters per host). A profile
// whose credentials are missing or refused is named, recorded and skipped, its tasks untouched.
ProfileRun runProfile(store::TaskStore& store, Clock& clock, const Scheduler::HostFor& host_for,
                      const ProfileApiMaker& make_api, RunJobOptions job, RunProgress& progress) {
  ProfileRun run{job.scheduler.profile, {}, false};
  if (!isValidProfileName(run.profile)) {
    // Stored before names were checked at every entry: it names no credential file we may open.
    // Its tasks stay as they are; the other profiles go on, and the exit code does not change.
    run.skipped = true;
    run.result.started = run.result.finished = clock.now();
    run.result.outcome.reason = "skipped: " + profileNameProblem(run.profile, "the ledger's profile");
    run.result.outcome.unresolved_left = store.countUnresolved(run.profile);
    return run;
  }
  bool credentials_failed = false;
  const ApiMaker profile_api = [&](std::size_t hosts) {
    try {
      return make_api(run.profile, hosts);
    } catch (const Error&) {
      credentials_failed = true;
      throw;
    }
  };
  try {
    run.result = runJob(store, clock, host_for, profile_api, job, progress);
  } catch (const Error& e) {
    if (!credentials_failed) throw;
    run.skipped = true;
    run.result.started = run.result.finished = clock.now();
    run.result.outcome.exit = e.code();
    run.result.outcome.reason = std::string("skipped: ") + e.what();
    run.result.outcome.unresolved_left = store.countUnresolved(run.profile);
    const auto id = store.beginRun({0, run.result.started, {}, job.host, job.pid, run.profile, {}, ""});
    store.finishRun(id, run.result.finished, {}, run.result.outcome.reason);
  }
  return run;
}

}  // namespace

ExitCode worseExit(ExitCode a, ExitCode b) { return severity(b) > severity(a) ? b : a; }

ProfilesResult runProfiles(store::TaskStore& store, Clock& clock, const Scheduler::HostFor& host_for,
                           const ProfileApiMaker& make_api, const ProfilesOptions& options, RunProgress& progress,
                           const std::function<void(const ProfileRun&)>& done) {
  const TimePoint start = clock.now();
  std::vector<std::string> profiles;
  if (options.only) profiles = {*options.only};
  else profiles = store.profilesToRun(start, options.job.scheduler.until_done);
  if (profiles.empty()) profiles = {options.fallback};
  const std::size_t count = profiles.size();
  // Every profile has the whole run's budget: they run side by side, and all end by its end.
  const auto jobOf = [&](const std::string& profile) {
    RunJobOptions job = options.job;
    job.scheduler.profile = profile;
    job.scheduler.ends_by = start + options.job.scheduler.max_duration;
    return job;
  };

  ProfilesResult all;
  if (count == 1) {
    progress.profileStarting(profiles.front(), 1);
    all.profiles.push_back(runProfile(store, clock, host_for, make_api, jobOf(profiles.front()), progress));
    all.exit = all.profiles.back().result.outcome.exit;
    if (done) done(all.profiles.back());
    return all;
  }

  // Several profiles: each on its own thread, at its own full rate. One mutex serialises the
  // ledger, what they say, the making of ports (credentials) and `done`. Signals are blocked
  // before any thread starts, so that only the watchers take them (each profile's runJob has
  // one, and a signal reaches every watcher alive: every profile stops).
  SignalWatcher::blockStopSignals();
  std::mutex mutex;
  SharedLedger ledger(store, mutex);
  const ProfileApiMaker make_api_in_turn = [&](const std::string& profile, std::size_t hosts) {
    std::lock_guard<std::mutex> lock(mutex);
    progress.profileStarting(profile, count);  // warnings about its credentials name it
    return make_api(profile, hosts);
  };
  all.profiles.resize(count);
  std::vector<std::exception_ptr> failures(count);
  std::vector<std::thread> threads;
  threads.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    threads.emplace_back([&, i] {
      try {
        ProfileProgress says(progress, mutex, profiles[i], count);
        all.profiles[i] = runProfile(ledger, clock, host_for, make_api_in_turn, jobOf(profiles[i]), says);
        std::lock_guard<std::mutex> lock(mutex);
        progress.profileStarting(profiles[i], count);
        if (done) done(all.profiles[i]);
      } catch (...) {
        failures[i] = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
  for (const auto& run : all.profiles) all.exit = worseExit(all.exit, run.result.outcome.exit);
  return all;
}

}  // namespace taskledger::scheduler
