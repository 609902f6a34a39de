#include <unistd.h>

#include <iostream>
#include <memory>

#include "CommandLine.h"
#include "Commands.h"
#include "MetricsFile.h"
#include "RunReporter.h"
#include "taskledger/domain/Error.h"
#include "taskledger/report/OutputFile.h"
#include "taskledger/scheduler/RunJob.h"
#include "taskledger/scheduler/RunLock.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/TaskRepository.h"
#include "taskledger/tencent/CredentialSource.h"
#include "taskledger/tencent/EndpointResolver.h"
#include "taskledger/tencent/TaskStatusClient.h"

namespace taskledger::cli {
namespace {

std::string hostname() {
  char buf[256] = {};
  ::gethostname(buf, sizeof buf - 1);
  return buf;
}

// The run's network: a caller (trust, proxy, kept-alive sessions), the keys, and the port on top.
struct Network {
  Network(tencent::HttpsClientOptions options, tencent::Credentials keys, const tencent::EndpointResolver& endpoints,
          std::size_t threads)
      : caller(std::move(options)), credentials(std::move(keys)), api(caller, credentials, endpoints, threads) {}
  tencent::ApiCaller caller;
  tencent::StaticCredentialProvider credentials;
  tencent::TaskStatusClient api;
};

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

  store::Database db(parsed.global.db);
  std::string holder;
  auto lock = scheduler::RunLock::tryAcquire(db.path(), holder);
  if (!lock) {
    std::cerr << "taskledger run: another run holds " << db.path() << " (" << holder << "); try later\n";
    return static_cast<int>(ExitCode::TryLater);
  }
  store::TaskRepository repo(db);
  RunReporter reporter(std::cerr, RunReporter::chooseStyle(parsed.global.log_format, parsed.global.quiet, 2));

  tencent::HttpsClientOptions client_options;
  client_options.timeout = timeout;
  client_options.ca_file = ca_file;
  client_options.proxy = proxy;
  opt.timeout = timeout;
  opt.concurrency = concurrency;
  const auto make_api = [&](std::size_t hosts) -> std::shared_ptr<TaskStatusApi> {
    auto creds = tencent::loadCredentials(lookup);
    for (const auto& w : creds.warnings) reporter.problem("warning: " + w);
    const std::size_t threads = concurrency ? concurrency : scheduler::kMaxInFlightPerHost * std::max<std::size_t>(1, hosts);
    auto network = std::make_shared<Network>(client_options, creds.credentials, endpoints, threads);
    return std::shared_ptr<TaskStatusApi>(network, &network->api);
  };
  SystemClock clock;
  const auto run = scheduler::runJob(repo, clock, [&endpoints](const std::string& r) { return endpoints.hostFor(r); },
                                     make_api, {opt, hostname(), static_cast<std::int64_t>(::getpid())}, reporter);
  const scheduler::RunOutcome& outcome = run.outcome;
  const TimePoint started = run.started, finished = run.finished;
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
