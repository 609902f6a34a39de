#include <pthread.h>
#include <sys/stat.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <iostream>
#include <set>
#include <thread>

#include "AccountOptions.h"
#include "CommandLine.h"
#include "Commands.h"
#include "JsonLine.h"
#include "MetricsFile.h"
#include "RunReporter.h"
#include "taskledger/domain/Error.h"
#include "taskledger/domain/Text.h"
#include "taskledger/report/OutputFile.h"
#include "taskledger/scheduler/AsyncExecutor.h"
#include "taskledger/scheduler/RunLock.h"
#include "taskledger/scheduler/Scheduler.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/TaskRepository.h"
#include "taskledger/tencent/CredentialChain.h"
#include "taskledger/tencent/EndpointResolver.h"
#include "taskledger/tencent/HttpsApiClient.h"

namespace taskledger::cli {
namespace {

// Workers per access host: enough to keep `rate` sends a second going at 300 ms latency, plus
// slack for slower answers. Bounded so a ledger spread over many regions stays reasonable.
std::size_t defaultConcurrency(int rate, std::size_t hosts) {
  auto per_host = static_cast<std::size_t>(std::ceil(rate * 0.3)) + 2;
  return std::min<std::size_t>(std::max<std::size_t>(1, hosts) * per_host, 64);
}

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

// A directory or an empty file would otherwise surface as "no such file" from the TLS library.
void checkCaFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw Error::usage("--ca-file: cannot read '" + path + "': " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw Error::usage("--ca-file: '" + path + "' is a directory; name a PEM file");
  if (!S_ISREG(st.st_mode)) throw Error::usage("--ca-file: '" + path + "' is not a regular file");
  if (st.st_size == 0) throw Error::usage("--ca-file: '" + path + "' is empty; it should hold PEM certificates");
  if (::access(path.c_str(), R_OK) != 0) throw Error::usage("--ca-file: cannot read '" + path + "': " + std::strerror(errno));
}

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
  std::string profile_flag, endpoint, ca_file, metrics_file, endpoint_mode = "regional";
  std::vector<std::string> resolve;
  std::size_t concurrency = 0;
  po::options_description options("Options");
  options.add_options()
      ("profile", po::value(&profile_flag)->value_name("P"), "the credential profile, and the ledger's tasks of it (default: TCCLI_PROFILE or default)")
      ("rate", po::value(&opt.rate)->default_value(20)->value_name("N"), "requests per second per access host (Tencent's limit is 20)")
      ("concurrency", po::value(&concurrency)->value_name("N"), "requests in flight (default: enough for --rate at 300 ms latency on every host)")
      ("batch", po::value(&opt.batch)->default_value(200)->value_name("N"), "tasks read from the ledger at a time")
      ("max-duration", po::value<std::string>()->default_value("10m")->value_name("D"), "stop after this long; the next run carries on")
      ("until-done", po::bool_switch(&opt.until_done), "keep going, waiting for tasks to become due, until none is unresolved")
      ("endpoint", po::value(&endpoint)->value_name("URL"), "send every request to this URL (private deployments)")
      ("endpoint-mode", po::value(&endpoint_mode)->default_value("regional")->value_name("M"), "regional (each region's host) or nearest (clb.tencentcloudapi.com; finance regions keep theirs)")
      ("resolve", po::value(&resolve)->composing()->value_name("HOST:ADDR[:PORT]"), "connect to ADDR for HOST while HOST is sent and verified (repeatable)")
      ("ca-file", po::value(&ca_file)->value_name("PEM"), "trust these CA certificates instead of the system store")
      ("timeout", po::value<std::string>()->default_value("10s")->value_name("D"), "connect and read timeout per request")
      ("stuck-after", po::value<std::string>()->default_value("30m")->value_name("D"), "unresolved this long after submission counts as stuck (summary)")
      ("give-up-after", po::value<std::string>()->default_value("7d")->value_name("D"), "unresolved this long after submission: expired, no longer asked")
      ("metrics-file", po::value(&metrics_file)->value_name("PATH"), "write Prometheus metrics here (textfile collector)");
  AccountFlags account;
  addAccountOptions(options, account);
  auto parsed = parseCommand(spec, options, {}, args);
  if (parsed.help_shown) return 0;
  opt.max_duration = durationFlag(parsed.vm, "max-duration", Millis(1000));
  opt.give_up_after = durationFlag(parsed.vm, "give-up-after", Millis(60'000));
  Millis timeout = durationFlag(parsed.vm, "timeout");
  Millis stuck_after = durationFlag(parsed.vm, "stuck-after");
  if (opt.rate < 1) throw Error::usage("--rate must be at least 1");
  if (opt.batch < 1) throw Error::usage("--batch must be at least 1");
  if (parsed.vm.count("concurrency") && (concurrency < 1 || concurrency > 1024)) {
    throw Error::usage("--concurrency must be between 1 and 1024");
  }
  if (timeout < Millis(100)) throw Error::usage("--timeout must be at least 100ms");
  if (!ca_file.empty()) checkCaFile(ca_file);
  // Every path the user named is checked before any work is done.
  store::Database::checkPath(parsed.global.db, store::OpenMode::Existing);
  if (!metrics_file.empty()) report::checkOutputPath("--metrics-file", metrics_file, parsed.global.db);
  auto endpoints = tencent::EndpointResolver::fromFlags("clb", endpoint_mode, endpoint, resolve, rootDomain(account));
  std::optional<std::string> profile_opt;
  if (!profile_flag.empty()) profile_opt = profile_flag;
  SystemClock credential_clock;  // times the temporary keys; outlives their provider
  auto chain = chainRequest(account, profile_opt, resolve, ca_file, timeout, credential_clock);
  opt.profile = tencent::chooseProfile(chain.lookup);

  TimePoint started = now();
  const bool verbose = parsed.global.verbose && !parsed.global.quiet;
  const auto detail = [&](const std::string& line) {
    if (!verbose) return;
    if (parsed.global.log_format == "json") std::cerr << JsonLine("run.detail").add("message", line).str() << "\n";
    else std::cerr << "run: " << line << "\n";
  };
  // The lock comes first and outlives the Database (see RunLock.h).
  std::string holder;
  auto lock = scheduler::RunLock::tryAcquire(parsed.global.db, holder);
  if (!lock) {
    std::cerr << "taskledger run: another run holds " << parsed.global.db << " (" << escapeForTerminal(holder)
              << "); try later\n";
    return static_cast<int>(ExitCode::TryLater);
  }
  detail("holding the run lock of " + parsed.global.db + " (described in " +
         scheduler::RunLock::describingFile(parsed.global.db) + ")");
  store::Database db(parsed.global.db, store::OpenMode::Existing);
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
    auto creds = tencent::chooseCredentials(chain);
    detail("credentials of profile " + opt.profile + " from " + creds.source);
    for (const auto& w : creds.warnings) reporter.problem("warning: " + w);
    tencent::HttpsClientOptions client_options;
    client_options.timeout = timeout;
    client_options.ca_file = ca_file;
    client_options.resend_on_stale_connection = false;  // the scheduler resends, through its limiter
    // The client signs with these keys; temporary ones are renewed only once it asks
    // creds.provider->current() for each request (the Poco client's CredentialProvider seam).
    tencent::HttpsApiClientFactory factory(creds.provider->current(), endpoints, client_options);
    opt.credential_id = creds.provider->identity();

    std::set<std::string> hosts;
    for (const auto& region : repo.unresolvedRegions(opt.profile)) hosts.insert(endpoints.hostFor(region));
    if (concurrency == 0) concurrency = defaultConcurrency(opt.rate, hosts.size());
    std::string host_list;
    for (const auto& h : hosts) host_list += (host_list.empty() ? "" : ", ") + h;
    detail("asking " + host_list + " at up to " + std::to_string(opt.rate) + "/s per host, " +
           std::to_string(concurrency) + " in flight");

    // Before any thread starts, so that every thread inherits the mask and only the watcher
    // receives SIGINT/SIGTERM.
    SignalWatcher::blockStopSignals();
    SystemClock clock;
    scheduler::AsyncExecutor executor(concurrency, factory.makeAsyncClient());
    scheduler::Scheduler sched(repo, executor, clock, [&endpoints](const std::string& r) { return endpoints.hostFor(r); },
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
