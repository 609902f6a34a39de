#include "taskledger/mock/MockCli.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "taskledger/domain/Duration.h"
#include "taskledger/domain/Error.h"
#include "taskledger/mock/AuditEventGenerator.h"
#include "taskledger/mock/MockServer.h"
#include "taskledger/mock/ScenarioGenerator.h"
#include "taskledger/mock/TestCertificates.h"

namespace taskledger::mock {
namespace {

const char* const kUsage = R"(taskledger-mock: a local Tencent Cloud CLB DescribeTaskStatus (and CloudAudit DescribeEvents) endpoint for tests and demos

Usage:
  taskledger-mock serve --cert server.pem --key server.key [options]
  taskledger-mock generate --tasks N --csv OUT.csv --scenario OUT.json [options]
  taskledger-mock certs DIR [HOST...]
  taskledger-mock COMMAND --help

serve: HTTPS on 127.0.0.1 until SIGINT or SIGTERM; checks TC3 signatures, the rate per
(SecretId, Host) over any sliding second, and answers from a scenario.
  --port P              port to listen on; 0 (default) picks a free one
  --port-file F         write the chosen port to F once listening (for scripts using port 0)
  --cert F, --key F     server certificate and key (PEM), e.g. from `certs` or scripts/gen-certs.sh
  --scenario F          JSON scenario (format: include/taskledger/mock/Scenario.h); without it
                        every id answers InvalidParameter
  --default-status S    answer ids missing from the scenario with status S (0, 1 or 2)
  --rate N              accepted requests per (SecretId, Host) per sliding second (default 20; 0: no limit)
  --account-rate N      accepted requests per SecretId over all hosts per sliding second (default 0: no
                        limit); over it the answer is RequestLimitExceeded.UinLimitExceeded
  --latency D           added to every answer, e.g. 150ms (default 0s)
  --jitter D            latency varies by +-D (default 0s)
  --faults LIST         e.g. http500=0.05,internal=0.05,drop=0.05,slow=0.03,truncated=0.02,
                        ratelimit-burst=0.01,slow-for=15s,burst-for=1s (probabilities per request)
  --slow D              how long a slow answer waits (default 15s; same as slow-for in --faults)
  --seed N              seed of faults and jitter (default 1)
  --clock-skew D        the server clock runs ahead by D (a leading '-' for behind)
  --stats-file F        statistics as JSON, written on exit (also at GET /__admin/stats)
  --log-file F          one line per answer: arrival, RequestId, TaskId, outcome, Host
  --secret-id ID --secret-key KEY   accepted credentials (repeatable, in pairs)
  --credentials F       JSON: {"secretId":..,"secretKey":..,"token":..} or an array of them
                        (default: TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY)
  --threads N           most connections served at once (default 128)
  --events F            CloudAudit events (from `generate --events`) answered by DescribeEvents
                        (service cloudaudit, e.g. host cloudaudit.tencentcloudapi.com via --resolve)
  --audit-delay D       an event is visible D after its EventTime (default 0s; CloudAudit: minutes)
  --sts-duration D      STS AssumeRole and the metadata route hand out temporary keys valid this
                        long at most, e.g. 10s (default 2h); the CLB route refuses them after that
  --web-identity-token-file F  serve STS AssumeRoleWithWebIdentity (a TKE pod's role, unsigned),
                        accepting the token F holds, read again at every call (rotate it as the
                        kubelet does); keys valid at most --sts-duration
  --metadata-port P     also serve the CVM metadata route over plain HTTP on 127.0.0.1:P (0: any
                        free port); reach it with --resolve metadata.tencentyun.com:127.0.0.1:P
  --metadata-port-file F  write the metadata route's port to F once listening
  --metadata-role NAME  the role bound to the "instance" (default taskledger-cvm-role; "" for none)

generate: an import CSV (request_id,region,operation,resource,submitted_at) and its scenario.
  --tasks N             number of tasks (default 100)
  --regions LIST        e.g. ap-guangzhou,ap-shanghai (default ap-guangzhou); dealt round-robin
  --csv F, --scenario F output files
  --seed N              (default 1)
  --mix LIST            weights of succeed, fail, progress-then-succeed, stuck, unknown, error
                        (default succeed=1), e.g. succeed=0.7,fail=0.1,unknown=0.1,stuck=0.1
  --checks-each K       succeed/fail tasks answer 2 for K-1 checks first (default 1)
  --progress-for D      progress-then-succeed tasks resolve D after their first check (default 3s)
  --spread D            submitted_at is spread over D before now (default 10m)
  --events F            also write the CloudAudit events of the tasks (for `serve --events`):
                        one CLB write per task (but "unknown" ones), plus noise `discover` must
                        pass over (read events, failed calls, API 2.0 ids, other products,
                        synchronous actions)
  --noise N             noise events among them (default: as many as the tasks)

certs: a CA (ca.pem, ca.key) and a server certificate (server.pem, server.key) in DIR for
127.0.0.1, localhost and each HOST, made in-process (no openssl command needed).
)";

// Flags as NAME -> values (repeatable), plus positional arguments.
struct Args {
  std::map<std::string, std::vector<std::string>> flags;
  std::vector<std::string> positional;

  bool has(const std::string& n) const { return flags.count(n) > 0; }
  std::string get(const std::string& n, const std::string& fallback = "") const {
    auto it = flags.find(n);
    return it == flags.end() ? fallback : it->second.back();
  }
};

Args parseArgs(int argc, char** argv, int first) {
  Args a;
  for (int i = first; i < argc; ++i) {
    std::string s = argv[i];
    if (s == "--help" || s == "-h") {
      a.flags["help"].push_back("");
    } else if (s.rfind("--", 0) == 0) {
      auto eq = s.find('=');
      if (eq != std::string::npos) {
        a.flags[s.substr(2, eq - 2)].push_back(s.substr(eq + 1));
      } else {
        if (i + 1 >= argc) throw Error::usage(s + " needs a value (see taskledger-mock --help)");
        a.flags[s.substr(2)].push_back(argv[++i]);
      }
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

void allowOnly(const Args& a, const std::vector<std::string>& known, const std::string& command) {
  for (const auto& [name, values] : a.flags) {
    if (name == "help") continue;
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      throw Error::usage(command + ": unknown option --" + name + " (see taskledger-mock --help)");
    }
  }
}

long long toInt(const std::string& flag, const std::string& v, long long min) {
  char* end = nullptr;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || n < min) {
    throw Error::usage("--" + flag + " needs a whole number of at least " + std::to_string(min) + ", not \"" + v + "\"");
  }
  return n;
}

Millis toDuration(const std::string& flag, const std::string& v) {
  bool negative = !v.empty() && v[0] == '-';
  std::string body = negative ? v.substr(1) : v;
  if (body == "0") return Millis(0);
  auto d = parseDuration(body);
  if (!d) throw Error::usage("--" + flag + " needs a duration such as 150ms, 2s or 10m, not \"" + v + "\"");
  return negative ? -*d : *d;
}

std::vector<std::string> splitList(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

void writeFileAtomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) throw Error::runtime(path + ": cannot write");
  }
  std::filesystem::rename(tmp, path);
}

void loadCredentialFile(const std::string& path, MockServerOptions& o) {
  std::ifstream in(path);
  if (!in) throw Error::usage("--credentials: cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  try {
    auto root = Poco::JSON::Parser().parse(text.str());
    std::vector<Poco::JSON::Object::Ptr> entries;
    if (root.type() == typeid(Poco::JSON::Array::Ptr)) {
      auto arr = root.extract<Poco::JSON::Array::Ptr>();
      for (std::size_t i = 0; i < arr->size(); ++i) entries.push_back(arr->getObject(static_cast<unsigned>(i)));
    } else {
      entries.push_back(root.extract<Poco::JSON::Object::Ptr>());
    }
    for (const auto& e : entries) {
      if (!e || !e->has("secretId") || !e->has("secretKey")) throw Poco::Exception("an entry lacks secretId/secretKey");
      std::string id = e->getValue<std::string>("secretId");
      o.credentials[id] = e->getValue<std::string>("secretKey");
      if (e->has("token") && !e->getValue<std::string>("token").empty()) o.tokens[id] = e->getValue<std::string>("token");
    }
  } catch (const Poco::Exception& e) {
    // The text may hold secrets: name the file and the problem only.
    throw Error::usage("--credentials: " + path + " is not the expected JSON (" + e.message() + ")");
  }
}

MockServerOptions serveOptions(const Args& a) {
  MockServerOptions o;
  o.port = static_cast<int>(toInt("port", a.get("port", "0"), 0));
  o.cert_file = a.get("cert");
  o.key_file = a.get("key");
  if (o.cert_file.empty() || o.key_file.empty()) throw Error::usage("serve: --cert and --key are required");
  o.scenario_file = a.get("scenario");
  o.rate = static_cast<int>(toInt("rate", a.get("rate", "20"), 0));
  o.account_rate = static_cast<int>(toInt("account-rate", a.get("account-rate", "0"), 0));
  o.latency = toDuration("latency", a.get("latency", "0"));
  o.jitter = toDuration("jitter", a.get("jitter", "0"));
  if (o.latency.count() < 0 || o.jitter.count() < 0) throw Error::usage("--latency and --jitter must not be negative");
  if (a.has("faults")) o.faults = FaultPlan::parse(a.get("faults"));
  if (a.has("slow")) o.faults.slow_for = toDuration("slow", a.get("slow"));
  o.seed = static_cast<std::uint64_t>(toInt("seed", a.get("seed", "1"), 0));
  o.clock_skew = toDuration("clock-skew", a.get("clock-skew", "0"));
  o.stats_file = a.get("stats-file");
  o.log_file = a.get("log-file");
  o.max_threads = static_cast<int>(toInt("threads", a.get("threads", "128"), 4));
  o.events_file = a.get("events");
  o.audit_delay = toDuration("audit-delay", a.get("audit-delay", "0"));
  if (o.audit_delay.count() < 0) throw Error::usage("--audit-delay must not be negative");
  if (a.has("sts-duration")) {
    o.sts_duration = toDuration("sts-duration", a.get("sts-duration"));
    if (o.sts_duration < std::chrono::seconds(1)) throw Error::usage("--sts-duration must be at least 1s");
  }
  if (a.has("metadata-port")) o.metadata_port = static_cast<int>(toInt("metadata-port", a.get("metadata-port"), 0));
  if (a.has("metadata-role")) o.metadata_role = a.get("metadata-role");
  if (a.has("web-identity-token-file")) o.web_identity_token_file = a.get("web-identity-token-file");
  auto ids = a.flags.count("secret-id") ? a.flags.at("secret-id") : std::vector<std::string>{};
  auto keys = a.flags.count("secret-key") ? a.flags.at("secret-key") : std::vector<std::string>{};
  if (ids.size() != keys.size()) throw Error::usage("serve: give --secret-id and --secret-key in pairs");
  for (std::size_t i = 0; i < ids.size(); ++i) o.credentials[ids[i]] = keys[i];
  if (a.has("credentials")) loadCredentialFile(a.get("credentials"), o);
  if (o.credentials.empty()) {
    const char* id = std::getenv("TENCENTCLOUD_SECRET_ID");
    const char* key = std::getenv("TENCENTCLOUD_SECRET_KEY");
    if (!id || !key) {
      throw Error::usage("serve: no credentials: give --secret-id/--secret-key, --credentials, or set "
                         "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY");
    }
    o.credentials[id] = key;
  }
  return o;
}

int serve(const Args& a) {
  allowOnly(a, {"port", "port-file", "cert", "key", "scenario", "default-status", "rate", "account-rate", "latency",
                "jitter", "faults", "slow", "seed", "clock-skew", "stats-file", "log-file", "secret-id", "secret-key",
                "credentials", "threads", "events", "audit-delay", "sts-duration", "metadata-port",
                "metadata-port-file", "metadata-role", "web-identity-token-file"},
            "serve");
  MockServerOptions o = serveOptions(a);
  if (a.has("default-status")) {
    if (!o.scenario_file.empty()) {
      o.scenario = Scenario::loadFile(o.scenario_file);
      o.scenario_file.clear();
    }
    TaskScript d;
    d.statuses = {static_cast<int>(toInt("default-status", a.get("default-status"), 0))};
    if (d.statuses[0] > 2) throw Error::usage("--default-status must be 0, 1 or 2");
    o.scenario.default_task = d;
  }

  // Block the stop signals before any server thread exists, so only sigwait() below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  MockServer server(o);
  server.start();
  if (a.has("port-file")) writeFileAtomically(a.get("port-file"), std::to_string(server.port()) + "\n");
  if (a.has("metadata-port-file")) {
    if (o.metadata_port < 0) throw Error::usage("--metadata-port-file needs --metadata-port");
    writeFileAtomically(a.get("metadata-port-file"), std::to_string(server.metadataPort()) + "\n");
  }
  std::cout << "taskledger-mock: listening on https://127.0.0.1:" << server.port() << " (rate "
            << (o.rate ? std::to_string(o.rate) + "/s per SecretId and Host" : std::string("unlimited"))
            << ", latency " << formatDuration(o.latency) << " +- " << formatDuration(o.jitter) << ")" << std::endl;
  int sig = 0;
  sigwait(&stop_signals, &sig);
  server.stop();
  MockStats s = server.stats();
  std::cout << "taskledger-mock: stopped by " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << " after " << s.requests
            << " requests; largest 1 s window per key " << s.maxArrivalsPerKey() << ", rate limited "
            << s.rate_limited << ", signature failures " << s.signature_failures << std::endl;
  return 0;
}

int generate(const Args& a) {
  allowOnly(a, {"tasks", "regions", "csv", "scenario", "seed", "mix", "checks-each", "progress-for", "spread", "events", "noise"},
            "generate");
  GeneratorOptions o;
  o.tasks = static_cast<int>(toInt("tasks", a.get("tasks", "100"), 0));
  if (a.has("regions")) o.regions = splitList(a.get("regions"));
  o.seed = static_cast<std::uint64_t>(toInt("seed", a.get("seed", "1"), 0));
  if (a.has("mix")) o.mix = parseMix(a.get("mix"));
  o.checks_each = static_cast<int>(toInt("checks-each", a.get("checks-each", "1"), 1));
  if (a.has("progress-for")) o.progress_for = toDuration("progress-for", a.get("progress-for"));
  if (a.has("spread")) o.spread = toDuration("spread", a.get("spread"));
  o.now = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
  const std::string csv = a.get("csv"), scenario = a.get("scenario");
  if (csv.empty() || scenario.empty()) throw Error::usage("generate: --csv and --scenario are required");
  Generated g = generateScenario(o);
  writeFileAtomically(csv, g.csv());
  writeFileAtomically(scenario, g.scenario.toJson());
  std::map<std::string, int> counts;
  for (const auto& t : g.tasks) ++counts[t.kind];
  std::cout << "wrote " << g.tasks.size() << " tasks to " << csv << " and " << scenario << " (";
  const char* sep = "";
  for (const auto& [kind, n] : counts) {
    std::cout << sep << kind << " " << n;
    sep = ", ";
  }
  std::cout << ")\n";
  if (a.has("events")) {
    AuditGeneratorOptions ao;
    ao.seed = o.seed;
    ao.noise = static_cast<int>(toInt("noise", a.get("noise", std::to_string(o.tasks)), 0));
    GeneratedEvents e = generateAuditEvents(g, ao);
    writeFileAtomically(a.get("events"), e.json);
    std::cout << "wrote " << e.events << " CloudAudit events to " << a.get("events") << " (" << e.expected.size()
              << " to discover, " << e.noise << " noise)\n";
  }
  return 0;
}

int certs(const Args& a) {
  allowOnly(a, {}, "certs");
  if (a.positional.empty()) throw Error::usage("certs: name the directory (see taskledger-mock --help)");
  std::vector<std::string> hosts(a.positional.begin() + 1, a.positional.end());
  TestCertificates c = generateTestCertificates(a.positional[0], hosts);
  std::cout << "CA " << c.ca_cert << ", server certificate " << c.server_cert << "\n";
  return 0;
}

}  // namespace

int runMockCli(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  if (command.empty() || command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return command.empty() ? 2 : 0;
  }
  try {
    Args a = parseArgs(argc, argv, 2);
    if (a.has("help")) {
      std::cout << kUsage;
      return 0;
    }
    if (command == "serve") return serve(a);
    if (command == "generate") return generate(a);
    if (command == "certs") return certs(a);
    throw Error::usage("unknown command \"" + command + "\" (serve, generate, certs; see --help)");
  } catch (const Error& e) {
    std::cerr << "taskledger-mock: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "taskledger-mock: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace taskledger::mock
