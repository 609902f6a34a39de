#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <iostream>
#include <mutex>
#include <set>

#include "ApiAccess.h"
#include "CommandLine.h"
#include "Commands.h"
#include "StopSignals.h"
#include "LiveLine.h"
#include "taskledger/domain/Error.h"
#include "taskledger/domain/Text.h"
#include "taskledger/domain/Validation.h"
#include "taskledger/scheduler/RunJob.h"
#include "taskledger/scheduler/RunLock.h"
#include "taskledger/scheduler/SignalWatcher.h"
#include "taskledger/scheduler/Waiter.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/TaskRepository.h"
#include "taskledger/store/TaskSubset.h"

namespace taskledger::cli {
namespace {

// A sleep that a signal ends at once.
class Sleeper {
 public:
  void sleepUntil(TimePoint until) {
    std::unique_lock lock(mutex_);
    cv_.wait_until(lock, clampForWait(until), [&] { return stopped_; });
  }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopped_ = false;  // protected by mutex_
};

// "failed 55c85074-... (ap-guangzhou): <message>"
std::string describe(const Task& t) {
  std::string line = std::string(toString(t.state)) + " " + t.request_id + " (" + t.region + ")";
  std::string why;
  if (t.state == TaskState::Failed) why = t.message;
  if (t.state == TaskState::Rejected) why = t.last_error_code + (t.last_error_message.empty() ? "" : ": " + t.last_error_message);
  if (t.state == TaskState::Expired) why = "no answer within --give-up-after";
  if (isUnresolved(t.state)) {
    why = std::to_string(t.attempts) + " check" + (t.attempts == 1 ? "" : "s") +
          (t.last_error_code.empty() ? "" : ", last error " + t.last_error_code);
  }
  if (!why.empty()) line += ": " + why;
  return escapeForTerminal(line);
}

}  // namespace

int waitCommand(const Args& args) {
  CommandSpec spec{
      "wait", "wait REQUEST_ID... [options]",
      "Wait until every given request id is resolved: for deploy scripts, instead of polling the API.",
      "Unknown ids are recorded first (they need --region). While another run or wait holds the ledger,\n"
      "it only reads the ledger for the answers; otherwise it asks about its own ids itself, through\n"
      "limiters seeded from the ledger like a run's, holding the ledger only while it asks. So any\n"
      "number of waits started at once, and cron's run, stay within --rate per host together.\n"
      "Exit: 0 all succeeded, 3 any failed, rejected or expired (each printed with its reason), 75 the\n"
      "--timeout passed (the unresolved ones printed), 77 credentials refused, 130/143 stopped.",
      "  id=$(tccli clb CreateListener ... | jq -r .RequestId)\n"
      "  taskledger wait \"$id\" --region ap-guangzhou --operation CreateListener --timeout 10m"};
  std::string profile_flag, region, operation;
  ApiFlags api_flags;
  int rate = 20;
  po::options_description options("Options");
  options.add_options()
      ("region", po::value(&region)->value_name("R"), "the region of the ids (needed for ids the ledger does not know)")
      ("operation", po::value(&operation)->value_name("OP"), "what the change was, for ids recorded now (CreateListener)")
      ("profile", po::value(&profile_flag)->value_name("P"), "the credential profile the ids belong to (default: TCCLI_PROFILE or default)")
      ("timeout", po::value<std::string>()->default_value("10m")->value_name("D"), "give up waiting after this long (exit 75)")
      ("poll", po::value<std::string>()->default_value("1s")->value_name("D"), "how often the ledger is read while someone else asks")
      ("request-timeout", po::value<std::string>()->default_value("10s")->value_name("D"), "the longest one request may take")
      ("rate", po::value(&rate)->default_value(20)->value_name("N"), "requests per second per access host (Tencent's limit is 20)");
  addApiOptions(options, api_flags);
  auto parsed = parseCommand(spec, options, {"request-id"}, args, /*last_repeats=*/true);
  if (parsed.help_shown) return 0;
  if (!parsed.vm.count("request-id")) throw Error::usage("wait: give at least one REQUEST_ID");
  // Before any thread starts; SIGINT/SIGTERM end every outbound call from here on.
  StopSignals stop_signals;
  std::vector<std::string> ids;
  for (const auto& raw : parsed.vm["request-id"].as<std::vector<std::string>>()) {
    auto id = normalizeRequestId(raw);
    if (!id) throw Error::usage("wait: '" + raw + "' is not a request id (a UUID like 55c85074-3e7f-4c6d-864f-673660d4f8de)");
    ids.push_back(*id);
  }
  if (!region.empty() && !isValidRegion(region)) throw Error::usage("--region: '" + region + "' is not a region (like ap-guangzhou)");
  scheduler::WaitOptions wait_options{durationFlag(parsed.vm, "timeout", Millis(1000)), durationFlag(parsed.vm, "poll", Millis(100))};
  const Millis request_timeout = durationFlag(parsed.vm, "request-timeout", Millis(100));
  if (rate < 1) throw Error::usage("--rate must be at least 1");
  SystemClock clock;  // also times temporary keys, so it outlives them
  const ApiAccess access = apiAccess(api_flags, profile_flag, request_timeout, clock);
  store::Database::checkPath(parsed.global.db, store::OpenMode::Existing);

  store::Database db(parsed.global.db, store::OpenMode::Existing);
  store::TaskRepository repo(db);

  // The tasks to wait for: the profile's tasks of each id (in --region when given), recorded first
  // when the ledger does not know them.
  std::set<std::int64_t> task_ids;
  const auto ours = [&](const Task& t) {
    return t.profile == access.profile && (region.empty() || t.region == region);
  };
  {
    std::unique_ptr<store::TaskWriter> writer;
    for (const auto& id : ids) {
      bool known = false;
      for (const auto& t : repo.findByRequestId(id)) known = known || ours(t);
      if (known) continue;
      if (region.empty()) throw Error::usage("wait: " + id + " is not in the ledger; give --region to record it");
      if (!writer) writer = repo.beginImport(clock.now());
      NewTask t;
      t.profile = access.profile;
      t.region = region;
      t.request_id = id;
      t.operation = operation;
      t.source = "wait";
      writer->insert(t);
    }
    if (writer) writer->commit();
  }
  const auto load = [&] {
    std::vector<Task> tasks;
    for (const auto& id : ids) {
      for (auto& t : repo.findByRequestId(id)) {
        if (ours(t)) tasks.push_back(std::move(t));
      }
    }
    return tasks;
  };

  // On a terminal: how many ids are left and how many checks were made of them, at every look.
  LiveLine progress(std::cerr, LiveLine::wanted(parsed.global, STDERR_FILENO));
  const auto load_and_show = [&] {
    auto tasks = load();
    std::size_t left = 0;
    std::int64_t checks = 0;
    for (const auto& t : tasks) {
      left += isUnresolved(t.state) ? 1 : 0;
      checks += t.attempts;
    }
    progress.show("wait: " + std::to_string(left) + " of " + std::to_string(tasks.size()) + " ids left, " +
                  std::to_string(checks) + " checks made");
    return tasks;
  };

  Sleeper sleeper;
  std::shared_ptr<TaskStatusApi> api;  // made at the first ask, kept (with its connections) for the next
  scheduler::SilentProgress quiet;
  scheduler::WaitPorts ports;
  ports.load = load_and_show;
  ports.with_lock = [&](const std::function<void()>& ask) {
    std::string holder;
    auto lock = scheduler::RunLock::tryAcquire(parsed.global.db, holder);
    if (!lock) return false;
    ask();
    return true;
  };
  ports.ask_due = [&](TimePoint deadline) {
    store::TaskSubset subset(repo, load_and_show);
    scheduler::SchedulerOptions opt;
    opt.profile = access.profile;
    opt.rate = rate;
    opt.timeout = request_timeout;
    opt.max_duration = std::max(Millis(1000), std::chrono::duration_cast<Millis>(deadline - clock.now()));
    const auto make_api = [&](std::size_t hosts) {
      if (!api) {
        api = makeTaskStatusApi(access, scheduler::kMaxInFlightPerHost * std::max<std::size_t>(1, hosts),
                                [&](const std::string&, const std::vector<std::string>& warnings) {
                                  for (const auto& w : warnings) std::cerr << "taskledger wait: warning: " << escapeForTerminal(w) << "\n";
                                });
      }
      return api;
    };
    auto run = scheduler::runJob(subset, clock, [&access](const std::string& r) { return access.endpoints.hostFor(r); },
                                 make_api, {opt, thisHost(), static_cast<std::int64_t>(::getpid())}, quiet);
    const auto exit = run.outcome.exit;
    if (exit == ExitCode::Interrupted) return SIGINT;
    if (exit == ExitCode::Terminated) return SIGTERM;
    if (exit == ExitCode::AuthRefused || exit == ExitCode::Failure) throw Error(exit, "wait: " + run.outcome.reason);
    return 0;
  };
  ports.sleep_until = [&](TimePoint until) { sleeper.sleepUntil(until); };
  scheduler::Waiter waiter(clock, ports, wait_options);
  scheduler::SignalWatcher signals([&](int sig) {
    waiter.stop(sig);
    sleeper.stop();
  });
  const auto outcome = waiter.wait();
  progress.end();

  for (const auto& t : outcome.tasks) {
    bool worth_saying = t.state != TaskState::Succeeded || !parsed.global.quiet;
    if (worth_saying) (t.state == TaskState::Succeeded ? std::cout : std::cerr) << describe(t) << "\n";
  }
  if (outcome.result == scheduler::WaitResult::TimedOut) {
    std::cerr << "taskledger wait: timed out after " << parsed.vm["timeout"].as<std::string>() << "\n";
  }
  return static_cast<int>(outcome.exit());
}

}  // namespace taskledger::cli
