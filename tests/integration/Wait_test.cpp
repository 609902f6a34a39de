// `taskledger wait` as deploy scripts use it: the real binary against the local endpoint, many at
// once and beside cron's run, never above the per-host limit together.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <thread>
#include <csignal>
#include <fstream>
#include <memory>
#include <sstream>

#include "support/MockEndpointProcess.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "taskledger/mock/Scenario.h"

namespace taskledger {
namespace {

using testing::BackgroundProcess;
using testing::MockEndpointProcess;
using testing::readFile;
using testing::runProcess;
using testing::runTaskledger;
using testing::TempDir;

class WaitEndToEnd : public ::testing::Test {
 protected:
  // `n` tasks in one region (one host, one 20/s budget for everyone), imported; the endpoint up.
  void prepare(int n, const std::string& mix, const std::vector<std::string>& serve_args = {}) {
    auto gen = runProcess({TASKLEDGER_MOCK_BINARY, "generate", "--tasks", std::to_string(n), "--regions", "ap-guangzhou",
                           "--csv", dir_.file("tasks.csv"), "--scenario", dir_.file("scenario.json"), "--seed", "11",
                           "--mix", mix, "--progress-for", "2s"});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0);
    auto imp = runTaskledger({"import", dir_.file("tasks.csv"), "--db", db_});
    ASSERT_EQ(imp.exit_code, 0) << imp.err;
    std::vector<std::string> args{"--scenario", dir_.file("scenario.json"), "--latency", "30ms"};
    args.insert(args.end(), serve_args.begin(), serve_args.end());
    mock_ = std::make_unique<MockEndpointProcess>(dir_, std::vector<std::string>{"ap-guangzhou"}, args);
    std::ifstream csv(dir_.file("tasks.csv"));
    std::string line;
    std::getline(csv, line);  // header
    while (std::getline(csv, line)) ids_.push_back(line.substr(0, line.find(',')));
  }

  std::vector<std::string> withEndpoint(std::vector<std::string> args) {
    auto flags = mock_->runFlags();
    args.insert(args.end(), flags.begin(), flags.end());
    return args;
  }

  std::vector<std::string> binary(std::vector<std::string> args) {
    args.insert(args.begin(), TASKLEDGER_BINARY);
    return args;
  }

  TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
  std::unique_ptr<MockEndpointProcess> mock_;
  std::vector<std::string> ids_;
};

TEST_F(WaitEndToEnd, TenWaitsAndCronsRunTogetherStayWithinTheRateAndEachGetsItsAnswer) {
  ASSERT_NO_FATAL_FAILURE(prepare(300, "succeed=0.6,fail=0.2,progress-then-succeed=0.2"));
  const auto scenario = mock::Scenario::loadFile(dir_.file("scenario.json"));
  const auto env = mock_->credentialsEnv();

  // Cron's run first: it holds the ledger while the waits start, and they watch it; a run started
  // while a wait holds the ledger would say "try later" (75), as any second run does.
  BackgroundProcess cron(binary(withEndpoint({"run", "--db", db_, "--max-duration", "3s"})), "", dir_.file("run.err"),
                         env);
  std::vector<std::unique_ptr<BackgroundProcess>> waits;
  std::vector<bool> expect_failure;
  for (int w = 0; w < 10; ++w) {
    std::vector<std::string> args{"wait", "--db", db_, "--timeout", "2m", "--poll", "200ms"};
    bool any_failed = false;
    for (int i = w * 30; i < (w + 1) * 30; ++i) {
      args.push_back(ids_[i]);
      any_failed = any_failed || scenario.tasks.at(ids_[i]).expect != "succeeded";
    }
    expect_failure.push_back(any_failed);
    waits.push_back(std::make_unique<BackgroundProcess>(binary(withEndpoint(args)), dir_.file("wait" + std::to_string(w) + ".out"),
                                                        dir_.file("wait" + std::to_string(w) + ".err"), env));
  }

  for (int w = 0; w < 10; ++w) {
    auto code = waits[w]->wait(180'000);
    ASSERT_TRUE(code.has_value()) << "wait " << w << " never returned";
    EXPECT_EQ(*code, expect_failure[w] ? 3 : 0) << readFile(dir_.file("wait" + std::to_string(w) + ".err"));
    const std::string said = readFile(dir_.file("wait" + std::to_string(w) + ".out")) +
                             readFile(dir_.file("wait" + std::to_string(w) + ".err"));
    for (int i = w * 30; i < (w + 1) * 30; ++i) {
      EXPECT_NE(said.find(scenario.tasks.at(ids_[i]).expect + " " + ids_[i]), std::string::npos) << ids_[i] << "\n" << said;
    }
  }
  auto run_code = cron.wait(180'000);
  ASSERT_TRUE(run_code.has_value());
  EXPECT_TRUE(*run_code == 0 || *run_code == 75) << *run_code << ": " << readFile(dir_.file("run.err"));

  const std::string stats = mock_->stop();
  EXPECT_EQ(testing::jsonNumber(stats, "signature_failures"), 0) << stats;
  EXPECT_LE(testing::jsonNumber(stats, "max_arrivals_1s_per_key"), 20) << stats;
  EXPECT_EQ(testing::jsonNumber(stats, "rate_limited"), 0) << stats;
}

TEST_F(WaitEndToEnd, AnUnknownIdIsRecordedWithItsRegionAndRefusedWithoutOne) {
  ASSERT_NO_FATAL_FAILURE(prepare(1, "succeed=1", {"--default-status", "0"}));
  const auto env = testing::withEnv(mock_->credentialsEnv());
  const std::string fresh = "0badcafe-0000-4000-8000-000000000001";

  auto refused = runTaskledger(withEndpoint({"wait", "--db", db_, fresh}), env);
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("--region"), std::string::npos) << refused.err;

  auto waited = runTaskledger(withEndpoint({"wait", "--db", db_, "--region", "ap-guangzhou", "--operation",
                                            "CreateListener", fresh, "--timeout", "1m"}),
                              env);
  EXPECT_EQ(waited.exit_code, 0) << waited.err;
  EXPECT_NE(waited.out.find("succeeded " + fresh), std::string::npos) << waited.out;
  SQLite::Database db(db_);
  EXPECT_EQ(db.execAndGet("SELECT operation || ' ' || source FROM tasks WHERE request_id = '" + fresh + "'").getString(),
            "CreateListener wait");
}

TEST_F(WaitEndToEnd, ATaskThatNeverResolvesTimesOutWith75AndIsNamed) {
  ASSERT_NO_FATAL_FAILURE(prepare(1, "stuck=1"));
  auto r = runTaskledger(withEndpoint({"wait", "--db", db_, "--timeout", "2s", ids_[0]}),
                         testing::withEnv(mock_->credentialsEnv()));
  EXPECT_EQ(r.exit_code, 75) << r.err;
  EXPECT_NE(r.err.find(ids_[0]), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("timed out"), std::string::npos) << r.err;
}

// Found trying it as a hostile user: SIGTERM while an answer stalls. The wait watches signals
// while it sleeps and its run watches them while it asks; the signal reached only one of the two,
// and the wait sat out the stalled answer (58 s here) before it stopped.
TEST_F(WaitEndToEnd, SigtermEndsAWaitWhateverTheServerDoes) {
  ASSERT_NO_FATAL_FAILURE(prepare(2, "succeed=1", {"--faults", "slow=1,slow-for=120s"}));
  BackgroundProcess wait(binary(withEndpoint({"wait", "--db", db_, "--timeout", "10m", "--request-timeout", "5m",
                                              ids_[0], ids_[1]})),
                         "", dir_.file("wait.err"), mock_->credentialsEnv());
  // Waits for the event itself: the wait's run has opened its record, and its requests are out.
  const auto open_runs = [&] {
    // Polled while the wait writes: wait out its brief locks, as RunEndToEnd's count() does.
    SQLite::Database db(db_, SQLite::OPEN_READONLY, 10'000);
    return db.execAndGet("SELECT count(*) FROM runs WHERE finished_at IS NULL").getInt();
  };
  for (int i = 0; i < 3000 && open_runs() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(open_runs(), 1) << readFile(dir_.file("wait.err"));
  wait.signal(SIGTERM);
  // Far less than the two minutes a stalled answer takes (a bound on waiting, not a measurement).
  EXPECT_EQ(wait.wait(30'000), 143) << readFile(dir_.file("wait.err"));
  EXPECT_EQ(open_runs(), 0);
}

}  // namespace
}  // namespace taskledger
