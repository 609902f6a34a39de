#include <unistd.h>

#include <cctype>
#include <chrono>
#include <iostream>
#include <set>
#include <sstream>

#include "AccountOptions.h"
#include "ApiAccess.h"
#include "CommandLine.h"
#include "Commands.h"
#include "LedgerTurn.h"
#include "StopSignals.h"
#include "StoppableClock.h"
#include "LiveLine.h"
#include "taskledger/domain/Duration.h"
#include "taskledger/domain/Text.h"
#include "taskledger/domain/Error.h"
#include "taskledger/domain/ExitCode.h"
#include "taskledger/import/Discovery.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/DiscoveryCursor.h"
#include "taskledger/store/TaskRepository.h"
#include "taskledger/tencent/CloudAuditClient.h"
#include "taskledger/tencent/CredentialChain.h"
#include "taskledger/tencent/CredentialProvider.h"
#include "taskledger/tencent/CredentialSource.h"
#include "taskledger/tencent/Proxy.h"

namespace taskledger::cli {
namespace {

// "24h" (that long before now) or an ISO-8601 time.
TimePoint timeFlag(const std::string& flag, const std::string& value, TimePoint now) {
  if (auto d = parseDuration(value)) return now - *d;
  if (auto t = parseIsoTimestamp(value)) return *t;
  throw Error::usage("--" + flag + ": '" + value + "' is neither a duration (24h, 7d) nor an ISO-8601 time");
}

std::set<std::string> actionList(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) continue;
    for (char c : item) {
      if (!std::isalnum(static_cast<unsigned char>(c))) throw Error::usage("--actions: '" + item + "' is not an action name");
    }
    out.insert(item);
  }
  if (out.empty()) throw Error::usage("--actions: name at least one action (CreateListener,RegisterTargets)");
  return out;
}

}  // namespace

int discoverCommand(const Args& args) {
  CommandSpec spec{
      "discover", "discover [--since 24h | --since T] [--until T] [options]",
      "Fill the ledger from CloudAudit: every asynchronous CLB change, whoever made it.",
      "Reads CloudAudit's DescribeEvents for the window and records every successful API 3.0 write\n"
      "of an asynchronous CLB action (CreateListener, RegisterTargets, ... : the actions whose\n"
      "documentation says to confirm them with DescribeTaskStatus) as a task, with its region,\n"
      "action, load balancer, time, and who made it (user name or principal, and source IP). Read\n"
      "events, failed calls, API 2.0 calls, other products and synchronous actions are passed over.\n"
      "Known ids are counted, never doubled: overlapping windows are harmless.\n\n"
      "--since takes a duration back from now (24h) or an ISO-8601 time. Without it, discover goes\n"
      "on from the last event the previous discover of this profile saw, less 15 minutes for\n"
      "events that reach CloudAudit late (the first time: the last 24 hours). CloudAudit keeps 90\n"
      "days; a window is read in spans of at most 30 days, at most 20 calls a second.\n"
      "Credentials and --proxy (HTTPS_PROXY, NO_PROXY) as for run. Prints 'discovered N new tasks\n"
      "(K already known) from E events'.\n"
      "One discover per ledger at a time: a second waits its turn up to --lock-wait (then exit 75).\n"
      "Each call is bounded by --timeout from connect to last byte, the whole discover by\n"
      "--max-duration, and a span by " + std::to_string(import::Discovery::kMaxPagesPerSpan) + " pages (a server that never says ListOver).\n"
      "Exit 77: the credentials were refused; 75: CloudAudit kept failing, or --max-duration or the\n"
      "page bound was reached (try later); 130/143: stopped by SIGINT/SIGTERM. Pages already read\n"
      "stay recorded either way, and the next discover goes on after the last span read whole.",
      "  taskledger discover                      # what cron runs before 'run'\n"
      "  taskledger discover --since 7d --actions CreateListener,DeleteListener\n"
      "  taskledger discover --since 2026-11-27T00:00 --until 2026-11-28T00:00"};
  std::string since, until, profile_flag, actions, ca_file, proxy, root_domain = "tencentcloudapi.com",
                                                              audit_region = tencent::kDefaultAuditRegion;
  std::vector<std::string> resolve;
  po::options_description options("Options");
  options.add_options()
      ("since", po::value(&since)->value_name("T"), "from T: a duration back from now (24h) or an ISO-8601 time")
      ("until", po::value(&until)->value_name("T"), "up to T (default now)")
      ("profile", po::value(&profile_flag)->value_name("P"), "the credential profile; found tasks belong to it (default: TCCLI_PROFILE or default)")
      ("actions", po::value(&actions)->value_name("LIST"), "the actions that are tasks, comma-separated (replaces the built-in asynchronous set)")
      ("resolve", po::value(&resolve)->composing()->value_name("HOST:ADDR[:PORT]"), "connect to ADDR for HOST while HOST is sent and verified (repeatable)")
      ("ca-file", po::value(&ca_file)->value_name("PEM"), "trust these CA certificates instead of the system store")
      ("root-domain", po::value(&root_domain)->value_name("D"), "the API domain (default tencentcloudapi.com; inside a VPC internal.tencentcloudapi.com)")
      ("audit-region", po::value(&audit_region)->value_name("R"), "the Region CloudAudit is asked in (default ap-guangzhou; events of every region come back; INI audit_region)")
      ("timeout", po::value<std::string>()->default_value("10s")->value_name("D"), "the longest one request may take, connect to last byte")
      ("max-duration", po::value<std::string>()->default_value("10m")->value_name("D"), "stop after this long (exit 75); the next discover carries on");
  addProxyOption(options, proxy);
  addLockWaitOption(options);
  auto parsed = parseCommand(spec, options, {}, args);
  if (parsed.help_shown) return 0;
  // Before any thread starts; SIGINT/SIGTERM end every outbound call from here on.
  StopSignals stop_signals;
  const Millis timeout = durationFlag(parsed.vm, "timeout");
  if (timeout < Millis(100)) throw Error::usage("--timeout must be at least 100ms");

  StoppableClock clock;
  const TimePoint now = clock.now();
  import::DiscoveryOptions opt;
  opt.max_duration = durationFlag(parsed.vm, "max-duration", Millis(1000));
  if (!since.empty()) opt.since = timeFlag("since", since, now);
  if (!until.empty()) opt.until = timeFlag("until", until, now);
  if (opt.since && opt.until && *opt.since >= *opt.until) throw Error::usage("the window is empty: --since must be before --until");
  if (!actions.empty()) opt.actions = actionList(actions);
  std::optional<std::string> profile_opt;
  if (!profile_flag.empty()) profile_opt = profile_flag;
  auto lookup = tencent::processCredentialLookup(profile_opt);
  opt.profile = tencent::chooseProfile(lookup);  // --profile, else TCCLI_PROFILE, else default; checked

  store::Database::checkPath(parsed.global.db, store::OpenMode::Existing);
  // One discover per ledger at a time, so that two never ask CloudAudit beyond its rate together.
  const auto lock = takeTurn("discover", parsed.global.db, parsed.vm, scheduler::LockPurpose::Discover, parsed.global.quiet);
  if (!lock) return static_cast<int>(ExitCode::TryLater);
  store::Database db(parsed.global.db, store::OpenMode::Existing);
  store::TaskRepository repo(db);
  store::SqliteDiscoveryCursor cursor(db);
  // run's credential chain, whole: a role is assumed, a cvm-role file or a pod's role gives temporary keys.
  AccountFlags account;
  account.root_domain = root_domain;
  tencent::ChainRequest chain = chainRequest(account, profile_opt, resolve, ca_file, timeout, clock);
  chain.access.proxy = tencent::proxyFromSettings(proxy, lookup.getenv);
  const auto creds = tencent::chooseCredentials(chain);
  for (const auto& w : creds.warnings) std::cerr << "taskledger discover: warning: " << escapeForTerminal(w) << "\n";
  tencent::CredentialProvider& provider = *creds.provider;
  tencent::CloudAuditOptions client_options;
  client_options.root_domain = root_domain;
  client_options.region = audit_region;
  client_options.resolve = resolve;
  client_options.client.ca_file = ca_file;
  client_options.client.timeout = timeout;
  client_options.client.proxy = tencent::proxyFromSettings(proxy, lookup.getenv);
  tencent::CloudAuditClient client(provider, client_options);
  import::Discovery discovery(client, repo, cursor, clock);
  opt.warn = [](const std::string& w) { std::cerr << "taskledger discover: warning: " << escapeForTerminal(w) << "\n"; };
  LiveLine progress(std::cerr, LiveLine::wanted(parsed.global, STDERR_FILENO));
  opt.on_page = [&](const import::DiscoveryResult& so_far) {
    progress.show("discover: " + std::to_string(so_far.pages) + " pages read, " + std::to_string(so_far.events) +
                  " events, " + std::to_string(so_far.added + so_far.known) + " tasks found (" +
                  std::to_string(so_far.added) + " new)");
  };
  const auto r = discovery.discover(opt);
  progress.end();
  if (r.since_clamped) {
    std::cerr << "taskledger discover: CloudAudit keeps 90 days; reading from " << formatHuman(r.since, false) << "\n";
  }
  if (!parsed.global.quiet) {
    std::cout << "discovered " << r.added << " new tasks (" << r.known << " already known) from " << r.events
              << " events\n";
  }
  if (parsed.global.verbose) {
    std::cerr << "taskledger discover: " << formatHuman(r.since, false) << " to " << formatHuman(r.until, false) << ", "
              << r.calls << " DescribeEvents calls to " << client.host() << "\n";
  }
  return 0;
}

}  // namespace taskledger::cli
