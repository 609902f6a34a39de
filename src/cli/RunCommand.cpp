#include <unistd.h>

#include <iostream>
#include <map>
#include <memory>

#include "ApiAccess.h"
#include "CommandLine.h"
#include "Commands.h"
#include "StopSignals.h"
#include "JsonLine.h"
#include "LedgerTurn.h"
#include "MetricsFile.h"
#include "RunReporter.h"
#include "StuckAfter.h"
#include "taskledger/domain/Error.h"
#include "taskledger/domain/Text.h"
#include "taskledger/report/OutputFile.h"
#include "taskledger/scheduler/RunJob.h"
#include "taskledger/scheduler/RunLock.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/TaskRepository.h"

namespace taskledger::cli {

int runCommand(const Args& args) {
  CommandSpec spec{
      "run", "run [options]", "Ask Tencent Cloud about every due, unresolved task and record the answers.",
      "Each task is asked at its region's host (clb.<region>.tencentcloudapi.com) with DescribeTaskStatus,\n"
      "at most --rate requests in any second per access host. Answers: 0 succeeded, 1 failed, 2 in\n"
      "progress (asked again later, 5 s, 10 s, 20 s ... up to 5 min apart). One run at a time per\n"
      "ledger: while another holds it, a run waits its turn up to --lock-wait, then exits 75.\n"
      "SIGINT/SIGTERM stop it cleanly; a kill loses only answers in flight.\n"
      "Credentials, first found: TENCENTCLOUD_SECRET_ID/KEY (and TENCENTCLOUD_TOKEN); a role assumed\n"
      "with STS (TENCENTCLOUD_ROLE_ARN + TENCENTCLOUD_ROLE_SESSION_NAME or the tccli file's role-arn);\n"
      "~/.tccli/<profile>.credential, TENCENTCLOUD_CREDENTIALS_FILE, ~/.tencentcloud/credentials,\n"
      "/etc/tencentcloud/credentials; the CVM instance role. 'taskledger credentials' shows which.\n"
      "Exit: 0 done or budget used up (the next run carries on), 1 failure, 75 locked or the endpoint\n"
      "kept failing, 77 credentials refused, 130/143 stopped by SIGINT/SIGTERM.",
      "  # what cron runs every 5 minutes:\n"
      "  taskledger --db /var/lib/taskledger/ledger.db run --max-duration 4m --metrics-file \\\n"
      "      /var/lib/node_exporter/textfile/taskledger.prom\n"
      "  # against a private endpoint reached at another address:\n"
      "  taskledger run --resolve clb.ap-guangzhou.tencentcloudapi.com:127.0.0.1:8443 --ca-file ca.pem"};
  scheduler::SchedulerOptions opt;
  std::string profile_flag, metrics_file;
  ApiFlags api_flags;
  std::size_t concurrency = 0;
  po::options_description options("Options");
  options.add_options()
      ("profile", po::value(&profile_flag)->value_name("P"), "the credential profile, and the ledger's tasks of it (default: TCCLI_PROFILE or default)")
      ("rate", po::value(&opt.rate)->default_value(20)->value_name("N"), "requests per second per access host (Tencent's limit is 20)")
      ("concurrency", po::value(&concurrency)->value_name("N"), "requests in flight at most, over every host (default: as the latency needs, up to 64 per host)")
      ("batch", po::value(&opt.batch)->default_value(200)->value_name("N"), "tasks read from the ledger at a time")
      ("max-duration", po::value<std::string>()->default_value("10m")->value_name("D"), "stop after this long; the next run carries on")
      ("until-done", po::bool_switch(&opt.until_done), "keep going, waiting for tasks to become due, until none is unresolved")
      ("timeout", po::value<std::string>()->default_value("10s")->value_name("D"), "the longest one request may take, connect to answer")
      ("give-up-after", po::value<std::string>()->default_value("7d")->value_name("D"), "unresolved this long after submission: expired, no longer asked")
      ("metrics-file", po::value(&metrics_file)->value_name("PATH"), "write Prometheus metrics here (textfile collector)");
  addStuckAfterOption(options, "unresolved this long after submission counts as stuck (summary; as in report)");
  addLockWaitOption(options);
  addApiOptions(options, api_flags);
  auto parsed = parseCommand(spec, options, {}, args);
  if (parsed.help_shown) return 0;
  // Before any thread starts; SIGINT/SIGTERM end every outbound call from here on.
  StopSignals stop_signals;
  opt.max_duration = durationFlag(parsed.vm, "max-duration", Millis(1000));
  opt.give_up_after = durationFlag(parsed.vm, "give-up-after", Millis(60'000));
  Millis timeout = durationFlag(parsed.vm, "timeout");
  const Millis stuck_after = stuckAfterFlag(parsed.vm);
  if (opt.rate < 1) throw Error::usage("--rate must be at least 1");
  if (opt.batch < 1) throw Error::usage("--batch must be at least 1");
  if (parsed.vm.count("concurrency") && (concurrency < 1 || concurrency > 1024)) {
    throw Error::usage("--concurrency must be between 1 and 1024");
  }
  if (timeout < Millis(100)) throw Error::usage("--timeout must be at least 100ms");
  SystemClock clock;  // also times temporary keys, so it outlives them
  const ApiAccess access = apiAccess(api_flags, profile_flag, timeout, clock);
  opt.profile = access.profile;
  // Every path the user named is checked before any work is done.
  store::Database::checkPath(parsed.global.db, store::OpenMode::Existing);
  if (!metrics_file.empty()) report::checkOutputPath("--metrics-file", metrics_file, parsed.global.db);

  const bool verbose = parsed.global.verbose && !parsed.global.quiet;
  const auto detail = [&](const std::string& line) {
    if (!verbose) return;
    if (parsed.global.log_format == "json") std::cerr << JsonLine("run.detail").add("message", line).str() << "\n";
    else std::cerr << "run: " << escapeForTerminal(line) << "\n";
  };
  auto lock = takeTurn("run", parsed.global.db, parsed.vm, scheduler::LockPurpose::Run, parsed.global.quiet);
  if (!lock) return static_cast<int>(ExitCode::TryLater);
  detail("holding the run lock of " + parsed.global.db + " (described in " +
         scheduler::RunLock::describingFile(parsed.global.db) + ")");
  store::Database db(parsed.global.db, store::OpenMode::Existing);
  store::TaskRepository repo(db);
  RunReporter reporter(std::cerr, RunReporter::chooseStyle(parsed.global.log_format, parsed.global.quiet, 2),
                       verbose);

  opt.timeout = timeout;
  opt.concurrency = concurrency;
  // Each profile's own access, kept for the whole run (the port made from it refers to it).
  std::map<std::string, ApiAccess> accesses;
  const auto make_api = [&](const std::string& profile, std::size_t hosts) {
    auto it = accesses.find(profile);
    if (it == accesses.end()) {
      it = accesses.emplace(profile, profile == access.profile ? access : profileAccess(api_flags, profile, timeout, clock)).first;
    }
    const std::size_t threads = concurrency ? concurrency : scheduler::kMaxInFlightPerHost * std::max<std::size_t>(1, hosts);
    return makeTaskStatusApi(it->second, threads, [&](const std::string& source, const std::vector<std::string>& warnings) {
      detail("credentials of profile " + profile + " from " + source);
      for (const auto& w : warnings) reporter.problem("warning: " + w);
      detail("asking " + std::to_string(hosts) + " host(s) at up to " + std::to_string(opt.rate) + "/s each, " +
             std::to_string(threads) + " in flight at most");
    });
  };
  scheduler::ProfilesOptions profiles{{opt, thisHost(), static_cast<std::int64_t>(::getpid())}, {}, access.profile};
  if (!profile_flag.empty()) profiles.only = access.profile;
  std::vector<RunMetrics> metrics;
  const auto done = [&](const scheduler::ProfileRun& p) {
    const scheduler::RunOutcome& outcome = p.result.outcome;
    const Millis elapsed = p.result.finished - p.result.started;
    reporter.finished(outcome, elapsed, repo.countUnresolvedSubmittedBefore(p.profile, p.result.finished - stuck_after));
    metrics.push_back({repo.countsByState(p.profile), outcome, static_cast<double>(elapsed.count()) / 1000.0,
                       repo.lastCleanRunFinishedAt(), p.profile});
  };
  const auto run = scheduler::runProfiles(repo, clock, [&access](const std::string& r) { return access.endpoints.hostFor(r); },
                                          make_api, profiles, reporter, done);
  reporter.finishedAll(run);
  if (!metrics_file.empty()) report::writeFileAtomically(metrics_file, renderMetrics(metrics));
  return static_cast<int>(run.exit);
}

}  // namespace taskledger::cli
