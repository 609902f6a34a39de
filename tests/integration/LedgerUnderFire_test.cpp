// Issue 20 item 1: every command at once on one ledger, for a minute, as deploy scripts and cron
// really use it: ten `wait`s over and over, cron's `run` back to back, `import`, `discover`,
// `requeue` and `report`. The ledger must end intact (integrity_check ok), no command may fail
// with a damaged ledger, cron's run never gives up (75) just because a wait held the ledger for
// a moment, and every answer the endpoint gave is recorded exactly once.
//
// Before issue 20, `wait` opened and closed the ledger for each try of the run lock beside its
// open SQLite connection, which dropped SQLite's POSIX locks: runs beside it died within seconds
// with "database disk image is malformed".
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "support/MockEndpointProcess.h"
#include "support/Process.h"
#include "support/TempDir.h"

namespace taskledger {
namespace {

using testing::MockEndpointProcess;
using testing::ProcessResult;
using testing::readFile;
using testing::runProcess;
using testing::runTaskledger;
using testing::TempDir;

constexpr int kTasks = 400;
constexpr int kImportedFirst = 100;  // in the ledger before the fire starts; the rest come by import and wait
constexpr int kImportChunk = 20;
constexpr int kWaiters = 10;
constexpr int kIdsPerWait = 5;
constexpr auto kFireFor = std::chrono::seconds(60);

class LedgerUnderFire : public ::testing::Test {
 protected:
  void SetUp() override {
    auto gen = runProcess({TASKLEDGER_MOCK_BINARY, "generate", "--tasks", std::to_string(kTasks), "--regions",
                           "ap-guangzhou", "--csv", dir_.file("tasks.csv"), "--scenario", dir_.file("scenario.json"),
                           "--events", dir_.file("events.json"), "--seed", "20", "--mix",
                           "succeed=0.6,fail=0.2,progress-then-succeed=0.2", "--progress-for", "2s"});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    std::ifstream csv(dir_.file("tasks.csv"));
    std::getline(csv, header_);
    std::string line;
    while (std::getline(csv, line)) rows_.push_back(line);
    ASSERT_EQ(rows_.size(), static_cast<std::size_t>(kTasks));
    ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0);
    ASSERT_EQ(runTaskledger({"import", chunk(0, kImportedFirst), "--db", db_}).exit_code, 0);
    mock_ = std::make_unique<MockEndpointProcess>(
        dir_, std::vector<std::string>{"ap-guangzhou"},
        std::vector<std::string>{"--scenario", dir_.file("scenario.json"), "--events", dir_.file("events.json"),
                                 "--latency", "20ms"});
  }

  // rows [from, to) as a CSV file of their own.
  std::string chunk(int from, int to) {
    const std::string path = dir_.file("chunk" + std::to_string(from) + ".csv");
    std::ofstream out(path);
    out << header_ << "\n";
    for (int i = from; i < to; ++i) out << rows_[i] << "\n";
    return path;
  }

  std::string id(int i) const { return rows_[i].substr(0, rows_[i].find(',')); }

  ProcessResult command(std::vector<std::string> args, const std::vector<std::string>& endpoint_flags = {}) {
    args.insert(args.begin() + 1, {"--db", db_});
    args.insert(args.end(), endpoint_flags.begin(), endpoint_flags.end());
    auto r = runTaskledger(args, testing::withEnv(mock_->credentialsEnv()));
    std::lock_guard lock(mutex_);
    results_[args[0]].push_back(r);
    return r;
  }

  TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
  std::string header_;
  std::vector<std::string> rows_;
  std::unique_ptr<MockEndpointProcess> mock_;
  std::mutex mutex_;
  std::map<std::string, std::vector<ProcessResult>> results_;  // protected by mutex_, by command
};

TEST_F(LedgerUnderFire, EveryCommandAtOnceForAMinuteLeavesAnIntactLedgerAndEveryAnswerOnce) {
  const auto until = std::chrono::steady_clock::now() + kFireFor;
  const auto burning = [&] { return std::chrono::steady_clock::now() < until; };
  std::atomic<int> next_import{kImportedFirst};
  std::vector<std::thread> fire;

  fire.emplace_back([&] {  // cron's run, back to back: in turn a quick one and one that stays a while
    for (int i = 0; burning(); ++i) {
      std::vector<std::string> args{"run", "--max-duration", "3s", "--lock-wait", "30s"};
      if (i % 2) args.push_back("--until-done");
      command(args, mock_->runFlags());
    }
  });
  for (int w = 0; w < kWaiters; ++w) {
    fire.emplace_back([&, w] {  // a deploy script's waits, one after another, over every id
      for (int round = 0; burning() && round < 12; ++round) {
        std::vector<std::string> args{"wait", "--region", "ap-guangzhou", "--timeout", "2m", "--poll", "200ms"};
        for (int k = 0; k < kIdsPerWait; ++k) args.push_back(id((w * 37 + round * 53 + k * 7) % kTasks));
        command(args, mock_->runFlags());
      }
    });
  }
  fire.emplace_back([&] {
    while (burning()) {
      const int from = next_import.fetch_add(kImportChunk);
      if (from >= kTasks) break;
      command({"import", chunk(from, std::min(kTasks, from + kImportChunk))});
    }
  });
  fire.emplace_back([&] {
    for (int i = 0; burning() && i < 15; ++i) command({"discover", "--since", "3h"}, mock_->discoverFlags());
  });
  fire.emplace_back([&] {
    for (int i = 0; burning() && i < 30; ++i) command({"requeue", "--state", "failed"});
  });
  fire.emplace_back([&] {
    for (int i = 0; burning() && i < 30; ++i) command({"report", "--format", "json"});
  });
  for (auto& t : fire) t.join();
  mock_->stop();

  std::map<std::string, int> ran;
  for (const auto& [name, results] : results_) {
    for (const auto& r : results) {
      ++ran[name];
      const std::string said = r.out + r.err;
      EXPECT_EQ(said.find("malformed"), std::string::npos) << name << ": " << said;
      EXPECT_EQ(said.find("disk I/O"), std::string::npos) << name << ": " << said;
      if (name == "wait") EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 3) << name << " " << r.exit_code << ": " << said;
      else EXPECT_EQ(r.exit_code, 0) << name << ": " << said;  // cron's run included: never 75 for a wait's moment
    }
  }
  for (const char* name : {"run", "wait", "import", "discover", "requeue", "report"}) EXPECT_GT(ran[name], 0) << name;
  std::cout << "[ fire     ] runs " << ran["run"] << ", waits " << ran["wait"] << ", imports " << ran["import"]
            << ", discovers " << ran["discover"] << ", requeues " << ran["requeue"] << ", reports " << ran["report"]
            << "\n";

  SQLite::Database db(db_, SQLite::OPEN_READONLY, 10'000);
  EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  // Every DescribeTaskStatus answer the endpoint sent is one check, and every check one answer.
  std::map<std::string, int> answered;
  std::istringstream log(readFile(mock_->logFile()));
  std::string line;
  while (std::getline(log, line)) {
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string x; std::getline(fields, x, '\t');) f.push_back(x);
    if (f.size() == 5 && f[4].rfind("clb.", 0) == 0 && f[1] != "-") ++answered[f[1]];
  }
  std::map<std::string, int> recorded;
  SQLite::Statement q(db, "SELECT api_request_id FROM checks WHERE api_request_id IS NOT NULL AND api_request_id <> ''");
  while (q.executeStep()) ++recorded[q.getColumn(0).getString()];
  EXPECT_GT(answered.size(), static_cast<std::size_t>(kTasks)) << "requeued failures are asked again";
  int missing = 0, doubled = 0, unknown = 0;
  for (const auto& [request, n] : answered) missing += recorded.count(request) ? 0 : 1;
  for (const auto& [request, n] : recorded) {
    doubled += n > 1 ? 1 : 0;
    unknown += answered.count(request) ? 0 : 1;
  }
  std::cout << "[ fire     ] answers " << answered.size() << ", checks " << recorded.size() << ", tasks "
            << db.execAndGet("SELECT count(*) FROM tasks").getInt() << "\n";
  EXPECT_EQ(missing, 0) << "answers the ledger lost";
  EXPECT_EQ(doubled, 0) << "answers recorded twice";
  EXPECT_EQ(unknown, 0) << "checks the endpoint never answered";
}

}  // namespace
}  // namespace taskledger
