#include "taskledger/scheduler/RunJob.h"

#include <set>

#include "taskledger/scheduler/SignalWatcher.h"

namespace taskledger::scheduler {

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
    result.outcome = scheduler.run(run_id);
  }
  result.finished = clock.now();
  store.finishRun(run_id, result.finished, result.outcome.stats, result.outcome.reason);
  return result;
}

}  // namespace taskledger::scheduler
