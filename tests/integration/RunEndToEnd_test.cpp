// The real binary against the real local endpoint over TLS: what cron would see.
#include <gtest/gtest.h>
#include <signal.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "support/MockEndpointProcess.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "taskledger/mock/Scenario.h"

namespace taskledger {
namespace {

using testing::BackgroundProcess;
using testing::MockEndpointProcess;
using testing::ProcessOptions;
using testing::readFile;
using testing::runProcess;
using testing::runTaskledger;
using testing::TempDir;

const std::vector<std::string> kRegions{"ap-guangzhou", "ap-shanghai", "ap-beijing"};

class RunEndToEnd : public ::testing::Test {
 protected:
  // Generates `n` tasks with the given mix, imports them, starts the endpoint.
  void prepare(int n, const std::string& mix, const std::vector<std::string>& serve_args) {
    std::string regions = "ap-guangzhou,ap-shanghai,ap-beijing";
    auto gen = runProcess({TASKLEDGER_MOCK_BINARY, "generate", "--tasks", std::to_string(n), "--regions", regions,
                           "--csv", dir_.file("tasks.csv"), "--scenario", dir_.file("scenario.json"), "--seed", "7",
                           "--mix", mix, "--progress-for", "2s"});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0);
    auto imp = runTaskledger({"import", dir_.file("tasks.csv"), "--db", db_});
    ASSERT_EQ(imp.exit_code, 0) << imp.err;
    std::vector<std::string> args{"--scenario", dir_.file("scenario.json")};
    args.insert(args.end(), serve_args.begin(), serve_args.end());
    mock_ = std::make_unique<MockEndpointProcess>(dir_, kRegions, args);
  }

  std::vector<std::string> runArgs(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"run", "--db", db_};
    auto flags = mock_->runFlags();
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  ProcessOptions env() { return testing::withEnv(mock_->credentialsEnv()); }

  // Every task's state equals what its scenario dictates.
  void expectScenarioStates() {
    auto scenario = mock::Scenario::loadFile(dir_.file("scenario.json"));
    SQLite::Database db(db_);
    SQLite::Statement q(db, "SELECT request_id, state FROM tasks");
    int seen = 0;
    while (q.executeStep()) {
      ++seen;
      std::string id = q.getColumn(0).getString(), state = q.getColumn(1).getString();
      auto it = scenario.tasks.find(id);
      std::string expect = it == scenario.tasks.end() ? "rejected" : it->second.expect;
      EXPECT_EQ(state, expect) << id;
    }
    EXPECT_GT(seen, 0);
  }

  long long count(const std::string& sql) {
    // Polled while a run starts: wait out its brief exclusive locks (WAL setup, migrations).
    SQLite::Database db(db_, SQLite::OPEN_READONLY, 10'000);
    return db.execAndGet(sql).getInt64();
  }

  TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
  std::unique_ptr<MockEndpointProcess> mock_;
};

TEST_F(RunEndToEnd, MixedHistoriesEndInTheirScenarioStatesWithinTheRate) {
  ASSERT_NO_FATAL_FAILURE(prepare(500, "succeed=0.55,fail=0.15,progress-then-succeed=0.15,unknown=0.1,error=0.05",
                                  {"--latency", "20ms"}));
  auto r = runTaskledger(runArgs({"--until-done", "--max-duration", "2m"}), env());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("done"), std::string::npos) << r.err;
  std::string stats = mock_->stop();
  expectScenarioStates();
  EXPECT_EQ(testing::jsonNumber(stats, "signature_failures"), 0) << stats;
  EXPECT_LE(testing::jsonNumber(stats, "max_arrivals_1s_per_key"), 20) << stats;
  EXPECT_EQ(testing::jsonNumber(stats, "rate_limited"), 0) << stats;
  // Every answer is one audit row, with the API's RequestId.
  EXPECT_EQ(count("SELECT count(*) FROM checks WHERE api_request_id = ''"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM checks"), testing::jsonNumber(stats, "requests"));
  EXPECT_EQ(count("SELECT count(*) FROM runs WHERE finished_at IS NOT NULL AND exit_reason = 'done'"), 1);
}

TEST_F(RunEndToEnd, ASecondRunToldNotToWaitExitsAtOnceWith75NamingTheHolder) {
  ASSERT_NO_FATAL_FAILURE(prepare(100, "succeed=1", {"--latency", "400ms"}));
  BackgroundProcess first(
      [&] {
        std::vector<std::string> argv{TASKLEDGER_BINARY};
        auto a = runArgs({"--rate", "5"});
        argv.insert(argv.end(), a.begin(), a.end());
        return argv;
      }(),
      "", dir_.file("first.err"), mock_->credentialsEnv());
  // Waits until the first run has sent something (it holds the lock before that).
  for (int i = 0; i < 500 && readFile(mock_->logFile()).empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto second = runTaskledger(runArgs({"--lock-wait", "0s"}), env());
  EXPECT_EQ(second.exit_code, 75);
  EXPECT_NE(second.err.find("pid " + std::to_string(first.pid())), std::string::npos) << second.err;
  first.signal(SIGTERM);
  EXPECT_EQ(first.wait(20'000), 143);
  // The stopped run recorded its answers and its end.
  EXPECT_GT(count("SELECT count(*) FROM checks"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM runs WHERE finished_at IS NULL"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM runs WHERE exit_reason = 'signal'"), 1);
}

// Issue 12 item 2: answers that would take a minute do not keep a stopped run alive: SIGTERM
// gives them a second, then aborts them (each recorded as a Timeout), and the run exits 143.
TEST_F(RunEndToEnd, SigtermEndsTheRunWhateverTheServerDoes) {
  ASSERT_NO_FATAL_FAILURE(prepare(40, "succeed=1", {"--faults", "slow=0.5,slow-for=120s"}));
  std::vector<std::string> argv{TASKLEDGER_BINARY};
  auto a = runArgs({"--timeout", "10m", "--until-done"});
  argv.insert(argv.end(), a.begin(), a.end());
  BackgroundProcess run(argv, "", dir_.file("run.err"), mock_->credentialsEnv());
  // Waits for the event itself: the quick half of the answers is coming in, the slow half is out.
  for (int i = 0; i < 3000 && count("SELECT count(*) FROM checks") < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_GE(count("SELECT count(*) FROM checks"), 5);
  run.signal(SIGTERM);
  // Far less than the two minutes a slow answer takes (a bound on waiting, not a measurement).
  EXPECT_EQ(run.wait(30'000), 143);
  EXPECT_GT(count("SELECT count(*) FROM checks WHERE outcome = 'Timeout' AND message LIKE '%stopped by a signal%'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM runs WHERE finished_at IS NULL"), 0);
}

TEST_F(RunEndToEnd, KilledMidRunThenRestartedEndsTheSameWithNothingLostOrDoubled) {
  ASSERT_NO_FATAL_FAILURE(prepare(300, "succeed=0.6,fail=0.2,progress-then-succeed=0.2", {"--latency", "30ms"}));
  {
    std::vector<std::string> argv{TASKLEDGER_BINARY};
    auto a = runArgs({"--until-done"});
    argv.insert(argv.end(), a.begin(), a.end());
    BackgroundProcess victim(argv, "", dir_.file("victim.err"), mock_->credentialsEnv());
    // Kill once a fair share of answers has been committed.
    for (int i = 0; i < 1000; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      if (count("SELECT count(*) FROM checks") > 60) break;
    }
    victim.signal(SIGKILL);
    EXPECT_EQ(victim.wait(10'000), 128 + SIGKILL);
  }
  EXPECT_GT(count("SELECT count(*) FROM tasks WHERE state IN ('pending','in_progress')"), 0);
  // The dead holder does not block the next run.
  auto r = runTaskledger(runArgs({"--until-done", "--max-duration", "2m"}), env());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  mock_->stop();
  expectScenarioStates();
  EXPECT_EQ(count("SELECT count(*) FROM tasks"), 300);
  EXPECT_EQ(SQLite::Database(db_).execAndGet("PRAGMA integrity_check").getString(), "ok");
  // Every stored check is an answer the endpoint really sent, each stored once.
  std::string log = readFile(mock_->logFile());
  SQLite::Database db(db_);
  SQLite::Statement q(db, "SELECT api_request_id FROM checks");
  std::set<std::string> seen;
  while (q.executeStep()) {
    std::string id = q.getColumn(0).getString();
    EXPECT_NE(log.find(id), std::string::npos) << id;
    EXPECT_TRUE(seen.insert(id).second) << "doubled " << id;
  }
}

TEST_F(RunEndToEnd, NothingDueStartsSaysSoAndExitsZero) {
  ASSERT_NO_FATAL_FAILURE(prepare(3, "succeed=1", {}));
  auto first = runTaskledger(runArgs(), env());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto again = runTaskledger({"run", "--db", db_}, testing::withEnv({{"HOME", "/nonexistent"}}, {"TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"}));
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("nothing due"), std::string::npos) << again.err;
}

TEST_F(RunEndToEnd, WrongSecretStopsWith77AndLeavesTasksUntouched) {
  ASSERT_NO_FATAL_FAILURE(prepare(20, "succeed=1", {}));
  auto e = mock_->credentialsEnv();
  e["TENCENTCLOUD_SECRET_KEY"] = "wrong-secret-canary-77";
  auto r = runTaskledger(runArgs(), testing::withEnv(e));
  EXPECT_EQ(r.exit_code, 77) << r.err;
  EXPECT_NE(r.err.find("AuthFailure"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("wrong-secret-canary-77"), std::string::npos);
  // Left as they were: pending, no error; attempts counts only the refused calls, audited.
  EXPECT_EQ(count("SELECT count(*) FROM tasks t WHERE state = 'pending' AND COALESCE(last_error_code, '') = ''"
                  " AND attempts = (SELECT count(*) FROM checks c WHERE c.task_id = t.id)"),
            20);
}

TEST_F(RunEndToEnd, CronSeesAStartAndAFinishLineAndTheMetricsFileAgreesWithTheLedger) {
  ASSERT_NO_FATAL_FAILURE(prepare(30, "succeed=0.5,fail=0.3,unknown=0.2", {}));
  const std::string metrics = dir_.file("metrics/taskledger.prom");
  std::filesystem::create_directories(dir_.file("metrics"));
  auto r = runTaskledger(runArgs({"--until-done", "--max-duration", "60s", "--metrics-file", metrics,
                                  "--log-format", "json"}),
                         env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");

  // Not on a terminal: one JSON object per line, the first the start, the last the finish.
  std::vector<Poco::JSON::Object::Ptr> lines;
  std::istringstream err(r.err);
  for (std::string line; std::getline(err, line);) {
    Poco::JSON::Object::Ptr o;
    ASSERT_NO_THROW(o = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>()) << line;
    lines.push_back(o);
  }
  ASSERT_GE(lines.size(), 2u) << r.err;
  EXPECT_EQ(lines.front()->getValue<std::string>("event"), "run.start");
  const auto& finish = lines.back();
  EXPECT_EQ(finish->getValue<std::string>("event"), "run.finish");
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    EXPECT_EQ(lines[i]->getValue<std::string>("event"), "run.problem") << r.err;
  }
  EXPECT_EQ(finish->getValue<long long>("exit_code"), 0);
  EXPECT_EQ(finish->getValue<long long>("checked"), count("SELECT count(*) FROM checks"));
  EXPECT_EQ(finish->getValue<long long>("unresolved"), 0);

  // The metrics file, written by rename (nothing else left in its folder), tells the same story.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir_.file("metrics"))) ++files;
  EXPECT_EQ(files, 1u);
  const std::string text = readFile(metrics);
  for (const char* state : {"succeeded", "failed", "rejected"}) {
    const std::string line = std::string("taskledger_tasks{profile=\"default\",state=\"") + state + "\"} " +
                             std::to_string(count(std::string("SELECT count(*) FROM tasks WHERE state = '") + state + "'")) +
                             "\n";
    EXPECT_NE(text.find(line), std::string::npos) << line << text;
  }
  EXPECT_NE(text.find("taskledger_last_run_checks{profile=\"default\"} " + std::to_string(finish->getValue<long long>("checked")) + "\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("taskledger_last_run_exit_code{profile=\"default\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("taskledger_last_run_rate_limited{profile=\"default\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("taskledger_last_success_timestamp_seconds{profile=\"default\"} "), std::string::npos) << text;
  EXPECT_NE(text.find("# TYPE taskledger_last_run_duration_seconds gauge\n"), std::string::npos) << text;
}

// (host, request id, outcome, latency) of every check a run made, as the ledger audits them.
std::multiset<std::string> auditedRequests(const std::string& db_path, long long run_id) {
  SQLite::Database db(db_path, SQLite::OPEN_READONLY, 10'000);
  SQLite::Statement q(db,
                      "SELECT c.endpoint_host || ' ' || t.request_id || ' ' || c.outcome || ' ' || c.latency_ms"
                      " FROM checks c JOIN tasks t ON t.id = c.task_id WHERE c.run_id = ?");
  q.bind(1, static_cast<std::int64_t>(run_id));
  std::multiset<std::string> out;
  while (q.executeStep()) out.insert(q.getColumn(0).getString());
  return out;
}

const std::regex kRequestLine(R"(run: (\S+ [0-9a-f-]{36} \S+ \d+) ms)");

std::multiset<std::string> printedRequests(const std::string& err) {
  std::multiset<std::string> out;
  std::istringstream in(err);
  std::smatch m;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_match(line, m, kRequestLine)) out.insert(m[1]);
  }
  return out;
}

TEST_F(RunEndToEnd, VerbosePrintsEachRequestsHostOutcomeAndLatencyAsTheLedgerAuditsIt) {
  ASSERT_NO_FATAL_FAILURE(prepare(12, "succeed=0.5,fail=0.3,unknown=0.2", {"--latency", "20ms"}));
  auto r = runTaskledger(runArgs({"--verbose", "--until-done", "--max-duration", "60s"}), env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto printed = printedRequests(r.err);
  EXPECT_EQ(printed, auditedRequests(db_, count("SELECT max(id) FROM runs"))) << r.err;
  EXPECT_GE(printed.size(), 12u) << r.err;
  // Every host asked, and the outcomes a user looks for: a status, and the API's error code.
  EXPECT_NE(r.err.find(".tencentcloudapi.com "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" status:0 "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" status:1 "), std::string::npos) << r.err;
}

TEST_F(RunEndToEnd, RequestsArePrintedOnlyWhenVerboseAndNeverWhenQuiet) {
  ASSERT_NO_FATAL_FAILURE(prepare(8, "fail=1", {}));
  auto plain = runTaskledger(runArgs(), env());
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_GT(count("SELECT count(*) FROM checks"), 0);
  EXPECT_TRUE(printedRequests(plain.err).empty()) << plain.err;

  ASSERT_EQ(runTaskledger({"requeue", "--db", db_, "--state", "failed"}).exit_code, 0);
  auto quiet = runTaskledger(runArgs({"--verbose", "--quiet"}), env());
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_TRUE(printedRequests(quiet.err).empty()) << quiet.err;
  EXPECT_EQ(quiet.err.find("status:"), std::string::npos) << quiet.err;

  ASSERT_EQ(runTaskledger({"requeue", "--db", db_, "--state", "failed"}).exit_code, 0);
  auto json = runTaskledger(runArgs({"--verbose", "--log-format", "json"}), env());
  ASSERT_EQ(json.exit_code, 0) << json.err;
  std::multiset<std::string> logged;
  std::istringstream err(json.err);
  for (std::string line; std::getline(err, line);) {
    auto o = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
    if (o->getValue<std::string>("event") != "run.request") continue;
    logged.insert(o->getValue<std::string>("host") + " " + o->getValue<std::string>("request_id") + " " +
                  o->getValue<std::string>("outcome") + " " + std::to_string(o->getValue<long long>("latency_ms")));
  }
  EXPECT_EQ(logged, auditedRequests(db_, count("SELECT max(id) FROM runs"))) << json.err;
  EXPECT_EQ(logged.size(), 8u) << json.err;
}

TEST_F(RunEndToEnd, SecretNeverAppearsInOutputLedgerOrMetrics) {
  ASSERT_NO_FATAL_FAILURE(prepare(30, "succeed=0.5,fail=0.3,unknown=0.2", {}));
  auto r = runTaskledger(runArgs({"--metrics-file", dir_.file("m.prom"), "--log-format", "json"}), env());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto verbose = runTaskledger(runArgs({"--verbose"}), env());
  const std::string secret = MockEndpointProcess::kSecretKey;
  for (const auto& text : {r.out, r.err, verbose.out, verbose.err, readFile(dir_.file("m.prom")), readFile(db_),
                           readFile(db_ + "-wal")}) {
    EXPECT_EQ(text.find(secret), std::string::npos);
  }
}

}  // namespace
}  // namespace taskledger
