// Proof under faults and crashes (issue 6): the real binary against the real local endpoint.
// Short settings here; bench/resilience.sh runs the same tests with long ones through
// TASKLEDGER_RESILIENCE_TASKS / _KILLS / _IMPORT_KILLS.
#include <gtest/gtest.h>
#include <signal.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
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
using testing::jsonNumber;
using testing::MockEndpointProcess;
using testing::readFile;
using testing::runProcess;
using testing::runTaskledger;
using testing::TempDir;

testing::ProcessOptions longRun(testing::ProcessOptions o) {
  o.timeout_seconds = 1800;
  return o;
}

int setting(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : fallback;
}

const std::vector<std::string> kRegions{"ap-guangzhou", "ap-shanghai", "ap-beijing"};

class Resilience : public ::testing::Test {
 protected:
  void generate(int n, const std::string& mix) {
    auto gen = runProcess({TASKLEDGER_MOCK_BINARY, "generate", "--tasks", std::to_string(n), "--regions",
                           "ap-guangzhou,ap-shanghai,ap-beijing", "--csv", dir_.file("tasks.csv"), "--scenario",
                           dir_.file("scenario.json"), "--seed", "21", "--mix", mix, "--progress-for", "2s"});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
  }
  void importAll() {
    ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0);
    auto imp = runTaskledger({"import", dir_.file("tasks.csv"), "--db", db_, "-q"});
    ASSERT_EQ(imp.exit_code, 0) << imp.err;
  }
  void startMock(const std::vector<std::string>& extra) {
    std::vector<std::string> args{"--scenario", dir_.file("scenario.json")};
    args.insert(args.end(), extra.begin(), extra.end());
    mock_ = std::make_unique<MockEndpointProcess>(dir_, kRegions, args);
  }
  std::vector<std::string> runArgv(std::vector<std::string> extra) {
    std::vector<std::string> argv{TASKLEDGER_BINARY, "run", "--db", db_};
    auto flags = mock_->runFlags();
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }
  long long count(const std::string& sql) { return SQLite::Database(db_).execAndGet(sql).getInt64(); }

  // Every task is in the state its scenario dictates, and appears once.
  void expectScenarioStates() {
    auto scenario = mock::Scenario::loadFile(dir_.file("scenario.json"));
    SQLite::Database db(db_);
    SQLite::Statement q(db, "SELECT request_id, state, last_status FROM tasks");
    std::set<std::string> ids;
    int wrong = 0;
    while (q.executeStep()) {
      std::string id = q.getColumn(0).getString(), state = q.getColumn(1).getString();
      EXPECT_TRUE(ids.insert(id).second) << "doubled " << id;
      auto it = scenario.tasks.find(id);
      std::string expect = it == scenario.tasks.end() ? "rejected" : it->second.expect;
      if (state != expect && ++wrong < 10) ADD_FAILURE() << id << " is " << state << ", scenario says " << expect;
    }
    EXPECT_EQ(wrong, 0);
  }

  // Every stored check is an answer the endpoint really sent, stored once.
  void expectChecksMatchTheEndpointLog() {
    std::string log = readFile(mock_->logFile());
    std::set<std::string> sent;
    for (std::size_t pos = 0; pos < log.size();) {
      auto end = log.find('\n', pos);
      std::string line = log.substr(pos, end - pos);
      std::istringstream fields(line);
      std::string arrival, request_id;
      fields >> arrival >> request_id;
      sent.insert(request_id);
      pos = end == std::string::npos ? log.size() : end + 1;
    }
    SQLite::Database db(db_);
    SQLite::Statement q(db, "SELECT api_request_id FROM checks WHERE api_request_id <> ''");
    std::set<std::string> stored;
    int unknown = 0;
    while (q.executeStep()) {
      std::string id = q.getColumn(0).getString();
      EXPECT_TRUE(stored.insert(id).second) << "doubled check " << id;
      if (!sent.count(id) && ++unknown < 5) ADD_FAILURE() << "check " << id << " matches no answer the endpoint sent";
    }
    EXPECT_GT(stored.size(), 0u);
  }

  TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
  std::unique_ptr<MockEndpointProcess> mock_;
};

TEST_F(Resilience, FaultsAndRateLimitBurstsChangeNothingButTheTime) {
  const int tasks = setting("TASKLEDGER_RESILIENCE_TASKS", 2000);
  generate(tasks, "succeed=0.6,fail=0.15,progress-then-succeed=0.15,unknown=0.05,error=0.05");
  importAll();
  // 20% of answers faulted, plus bursts of RequestLimitExceeded.
  startMock({"--latency", "10ms", "--faults",
             "http500=0.04,internal=0.04,drop=0.04,slow=0.04,truncated=0.04,ratelimit-burst=0.002,slow-for=1500ms,burst-for=500ms",
             "--seed", "5"});
  auto start = std::chrono::steady_clock::now();
  auto r = runProcess(runArgv({"--until-done", "--max-duration", "10m", "--timeout", "1s"}),
                      longRun(testing::withEnv(mock_->credentialsEnv())));
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string stats = mock_->stop();
  expectScenarioStates();
  expectChecksMatchTheEndpointLog();
  EXPECT_EQ(jsonNumber(stats, "signature_failures"), 0) << stats;
  EXPECT_LE(jsonNumber(stats, "max_arrivals_1s_per_key"), 20) << stats;
  // No task may be resolved by anything but a real status answer.
  EXPECT_EQ(count("SELECT count(*) FROM tasks WHERE state IN ('succeeded','failed') AND last_status IS NULL"), 0);
  std::cout << "[ figures  ] faults: " << tasks << " tasks, " << jsonNumber(stats, "requests") << " requests, "
            << count("SELECT count(*) FROM checks WHERE outcome NOT LIKE 'status:%'") << " faulted or refused, "
            << jsonNumber(stats, "max_arrivals_1s_per_key") << " max/s/host, " << secs << " s\n";
}

TEST_F(Resilience, RunKilledAtRandomMomentsLosesAndDoublesNothing) {
  const int tasks = setting("TASKLEDGER_RESILIENCE_TASKS", 600) / 2;
  const int kills = setting("TASKLEDGER_RESILIENCE_KILLS", 20);
  generate(tasks, "succeed=0.6,fail=0.2,progress-then-succeed=0.2");
  importAll();
  startMock({"--latency", "20ms", "--faults", "internal=0.05,drop=0.05", "--seed", "9"});
  std::mt19937 rng(1234);
  std::uniform_int_distribution<int> moment(50, 700);
  int killed = 0;
  for (int i = 0; i < kills; ++i) {
    BackgroundProcess run(runArgv({"--until-done", "--timeout", "2s"}), "", dir_.file("run.err"), mock_->credentialsEnv());
    std::this_thread::sleep_for(std::chrono::milliseconds(moment(rng)));  // a real process, real time
    run.signal(SIGKILL);
    auto code = run.wait(10'000);
    ASSERT_TRUE(code.has_value());
    if (*code == 128 + SIGKILL) ++killed;
    ASSERT_EQ(SQLite::Database(db_).execAndGet("PRAGMA integrity_check").getString(), "ok");
  }
  EXPECT_GT(killed, kills / 2);
  auto r = runProcess(runArgv({"--until-done", "--max-duration", "5m"}), longRun(testing::withEnv(mock_->credentialsEnv())));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  mock_->stop();
  EXPECT_EQ(SQLite::Database(db_).execAndGet("PRAGMA integrity_check").getString(), "ok");
  EXPECT_EQ(count("SELECT count(*) FROM tasks"), tasks);
  expectScenarioStates();
  expectChecksMatchTheEndpointLog();
  std::cout << "[ figures  ] kills: " << killed << " SIGKILLs, " << count("SELECT count(*) FROM runs") << " runs, "
            << count("SELECT count(*) FROM checks") << " checks\n";
}

TEST_F(Resilience, StrictImportKilledMidwayIsAllOrNothing) {
  const int kills = setting("TASKLEDGER_RESILIENCE_IMPORT_KILLS", 10);
  const int rows = 60'000;
  auto gen = runProcess({TASKLEDGER_MOCK_BINARY, "generate", "--tasks", std::to_string(rows), "--regions",
                         "ap-guangzhou", "--csv", dir_.file("big.csv"), "--scenario", dir_.file("big.json")});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  std::mt19937 rng(99);
  std::uniform_int_distribution<int> moment(5, 400);
  int interrupted = 0;
  ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0);
  for (int i = 0; i < kills; ++i) {
    BackgroundProcess imp({TASKLEDGER_BINARY, "import", dir_.file("big.csv"), "--strict", "--db", db_});
    std::this_thread::sleep_for(std::chrono::milliseconds(moment(rng)));
    imp.signal(SIGKILL);
    imp.wait(10'000);
    SQLite::Database db(db_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    long long n = db.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'tasks'").getInt64() == 0
                      ? 0
                      : db.execAndGet("SELECT count(*) FROM tasks").getInt64();
    EXPECT_TRUE(n == 0 || n == rows) << "after kill " << i << ": " << n << " rows";
    if (n == rows) break;  // the import won the race; nothing more to interrupt
    ++interrupted;
    EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  }
  EXPECT_GT(interrupted, 0);
  std::cout << "[ figures  ] strict import: " << interrupted << " kills left no row of " << rows << "\n";
  auto done = runTaskledger({"import", dir_.file("big.csv"), "--strict", "--db", db_});
  EXPECT_EQ(done.exit_code, 0) << done.err;
  EXPECT_EQ(count("SELECT count(*) FROM tasks"), rows);
}

}  // namespace
}  // namespace taskledger
