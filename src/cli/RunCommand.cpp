#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <set>
#include <thread>

#include "CommandLine.h"
#include "Commands.h"
#include "MetricsFile.h"
#include "RunReporter.h"
#include "taskledger/domain/Error.h"
#include "taskledger/report/OutputFile.h"
#include "taskledger/scheduler/RunLock.h"
#include "taskledger/scheduler/Scheduler.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/TaskRepository.h"
#include "taskledger/tencent/CredentialSource.h"
#include "taskledger/tencent/EndpointResolver.h"
#include "taskledger/tencent/TaskStatusClient.h"

namespace taskledger::cli {
namespace {

// SIGINT and SIGTERM are taken by a dedicated thread (sigwait), so the stop is ordinary code
// rather than an async signal handler. The thread sleeps until a signal comes; the destructor ends
// it with a SIGTERM directed at it alone.
class SignalWatcher {
 public:
  static sigset_t stopSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
  }
  static void blockStopSignals() {
    sigset_t set = stopSignals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
  }

  explicit SignalWatcher(scheduler::Scheduler& s) : set_(stopSignals()) {
    thread_ = std::thread([this, &s] {
      while (true) {
        int sig = 0;
        if (sigwait(&set_, &sig) != 0) continue;
        if (done_) return;
        s.stop(sig);
      }
    });
  }
  ~SignalWatcher() {
    done_ = true;
    pthread_kill(thread_.native_handle(), SIGTERM);
    thread_.join();
  }
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  sigset_t set_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

TimePoint now() { return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()); }

std::string hostname() {
  char buf[256] = {};
  ::gethostname(buf, sizeof buf - 1);
  return buf;
}

}  // namespace

int runCommand(const Args& args) {
  CommandSpec spec{
      "run", "run [options]", "Ask Tencent Cloud about every due, unresolved task and record the answers.",
      "Each task is asked at its region's host (clb.<region>.tencentcloudapi.com) with DescribeTaskStatus,\n"
      "at most --rate requests in any second per access host. Answers: 0 succeeded, 1 failed, 2 in\n"
      "progress (asked again later, 5 s, 10 s, 20 s ... up to 5 min apart). One run at a time per\n"
      "ledger; a second exits 75. SIGINT/SIGTERM stop it cleanly; a kill loses only answers in flight.\n"
      "Credentials: TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY (and TENCENTCLOUD_TOKEN), else\n"
      "~/.tccli/<profile>.credential, else ~/.tencentcloud/credentials.\n"
      "Exit: 0 done or budget used up (the next run carries on), 1 failure, 75 locked or the endpoint\n"
      "kept failing, 77 credentials refused, 130/143 stopped by SIGINT/SIGTERM.",
      "  # what cron runs every 5 minutes:\n"
      "  taskledger --db /var/lib/taskledger/ledger.db run --max-duration 4m --metrics-file \\\n"
      "      /var/lib/node_exporter/textfile/taskledger.prom\n"
      "  # against a private endpoint reached at another address:\n"
      "  taskledger run --resolve clb.ap-guangzhou.tencentcloudapi.com:127.0.0.1:8443 --ca-file ca.pem"};
  scheduler::SchedulerOptions opt;
  std::string profile_flag, endpoint, ca_file, metrics_file, proxy_flag, endpoint_mode = "regional";
  std::vector<std::string> resolve;
  std::size_t concurrency = 0;
  po::options_description options("Options");
  options.add_options()
      ("profile", po::value(&profile_flag)->value_name("P"), "the credential profile, and the ledger's tasks of it (default: TCCLI_PROFILE or default)")
      ("rate", po::value(&opt.rate)->default_value(20)->value_name("N"), "requests per second per access host (Tencent's limit is 20)")
      ("concurrency", po::value(&concurrency)->value_name("N"), "requests in flight at most, over every host (default: as the latency needs, up to 64 per host)")
      ("batch", po::value(&opt.batch)->default_value(200)->value_name("N"), "tasks read from the ledger at a time")
      ("max-duration", po::value<std::string>()->default_value("10m")->value_name("D"), "stop after this long; the next run carries on")
      ("until-done", po::bool_switch(&opt.until_done), "keep going, waiting for tasks to become due, until none is unresolved")
      ("endpoint", po::value(&endpoint)->value_name("URL"), "send every request to this URL (private deployments)")
      ("endpoint-mode", po::value(&endpoint_mode)->default_value("regional")->value_name("M"), "regional (each region's host) or nearest (clb.tencentcloudapi.com; finance regions keep theirs)")
      ("resolve", po::value(&resolve)->composing()->value_name("HOST:ADDR[:PORT]"), "connect to ADDR for HOST while HOST is sent and verified (repeatable)")
      ("ca-file", po::value(&ca_file)->value_name("PEM"), "trust these CA certificates instead of the system store")
      ("proxy", po::value(&proxy_flag)->value_name("URL"), "tunnel HTTPS through this HTTP proxy, http://[USER:PASS@]HOST[:PORT] (default: HTTPS_PROXY, NO_PROXY)")
      ("timeout", po::value<std::string>()->default_value("10s")->value_name("D"), "the longest one request may take, connect to answer")
      ("stuck-after", po::value<std::string>()->default_value("30m")->value_name("D"), "unresolved this long after submission counts as stuck (summary)")
      ("give-up-after", po::value<std::string>()->default_value("7d")->value_name("D"), "unresolved this long after submission: expired, no longer asked")
      ("metrics-file", po::value(&metrics_file)->value_name("PATH"), "write Prometheus metrics here (textfile collector)");
  auto parsed = parseCommand(spec, options, {}, args);
  if (parsed.help_shown) return 0;
  opt.max_duration = durationFlag(parsed.vm, "max-duration");
  opt.give_up_after = durationFlag(parsed.vm, "give-up-after");
  Millis timeout = durationFlag(parsed.vm, "timeout");
  Millis stuck_after = durationFlag(parsed.vm, "stuck-after");
  if (opt.rate < 1) throw Error::usage("--rate must be at least 1");
  if (opt.batch < 1) throw Error::usage("--batch must be at least 1");
  if (timeout < Millis(100)) throw Error::usage("--timeout must be at least 100ms");
  if (!ca_file.empty() && ::access(ca_file.c_str(), R_OK) != 0) {
    throw Error::usage("--ca-file: cannot read '" + ca_file + "'");
  }
  auto endpoints = tencent::EndpointResolver::fromFlags("clb", endpoint_mode, endpoint, resolve);
  std::optional<std::string> profile_opt;
  if (!profile_flag.empty()) profile_opt = profile_flag;
  auto lookup = tencent::processCredentialLookup(profile_opt);
  const auto proxy = tencent::proxyFromSettings(proxy_flag, lookup.getenv);
  opt.profile = profile_flag.empty() ? lookup.getenv("TCCLI_PROFILE").value_or("default") : profile_flag;

  TimePoint started = now();
  store::Database db(parsed.global.db);
  std::string holder;
  auto lock = scheduler::RunLock::tryAcquire(db.path(), holder);
  if (!lock) {
    std::cerr << "taskledger run: another run holds " << db.path() << " (" << holder << "); try later\n";
    return static_cast<int>(ExitCode::TryLater);
  }
  store::TaskRepository repo(db);
  RunReporter reporter(std::cerr, RunReporter::chooseStyle(parsed.global.log_format, parsed.global.quiet, 2));

  scheduler::RunOutcome outcome;
  bool nothing_to_do = repo.dueTasks(opt.profile, "", started, 1).empty() &&
                       (!opt.until_done || repo.countUnresolved(opt.profile) == 0);
  auto begin = [&] {
    return repo.beginRun({0, started, {}, hostname(), static_cast<std::int64_t>(::getpid()), opt.profile, {}, ""});
  };
  std::int64_t run_id = 0;
  if (nothing_to_do) {
    // The cheap path cron takes most of the time: no credentials, no connections.
    run_id = begin();
    outcome.expired = repo.expireUnresolved(opt.profile, started - opt.give_up_after, started);
    outcome.reason = "nothing due";
    outcome.unresolved_left = repo.countUnresolved(opt.profile);
  } else {
    auto creds = tencent::loadCredentials(lookup);
    for (const auto& w : creds.warnings) reporter.problem("warning: " + w);
    tencent::HttpsClientOptions client_options;
    client_options.timeout = timeout;
    client_options.ca_file = ca_file;
    client_options.proxy = proxy;
    tencent::StaticCredentialProvider credentials(creds.credentials);
    opt.timeout = timeout;
    opt.concurrency = concurrency;

    std::set<std::string> hosts;
    for (const auto& region : repo.unresolvedRegions(opt.profile)) hosts.insert(endpoints.hostFor(region));
    const std::size_t threads = concurrency ? concurrency : scheduler::kMaxInFlightPerHost * std::max<std::size_t>(1, hosts.size());

    // Before any thread starts, so that every thread inherits the mask and only the watcher
    // receives SIGINT/SIGTERM.
    SignalWatcher::blockStopSignals();
    SystemClock clock;
    tencent::ApiCaller caller(client_options);
    tencent::TaskStatusClient api(caller, credentials, endpoints, threads);
    scheduler::Scheduler sched(repo, api, clock, [&endpoints](const std::string& r) { return endpoints.hostFor(r); },
                               opt, reporter);
    SignalWatcher signals(sched);
    run_id = begin();
    outcome = sched.run(run_id);
  }
  TimePoint finished = now();
  repo.finishRun(run_id, finished, outcome.stats, outcome.reason);
  auto stuck = repo.countUnresolvedSubmittedBefore(opt.profile, finished - stuck_after);
  reporter.finished(outcome, finished - started, stuck);

  if (!metrics_file.empty()) {
    RunMetrics m{repo.countsByState(opt.profile), outcome,
                 static_cast<double>((finished - started).count()) / 1000.0, repo.lastCleanRunFinishedAt(), opt.profile};
    report::writeFileAtomically(metrics_file, renderMetrics(m));
  }
  return static_cast<int>(outcome.exit);
}

}  // namespace taskledger::cli
