// `run`'s summary and `report` count "stuck" alike: one --stuck-after (flag, INI key, default).
#include <gtest/gtest.h>

#include <SQLiteCpp/Statement.h>

#include <fstream>

#include "report/TestLedger.h"
#include "support/Process.h"
#include "support/TempDir.h"

namespace taskledger {
namespace {

using testing::runTaskledger;

class StuckAfterTest : public ::testing::Test {
 protected:
  // Three tasks in progress for ten minutes, none due (so run asks nothing and needs no keys).
  StuckAfterTest() {
    EXPECT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0);
    store::Database db(db_);
    const TimePoint now = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
    for (int n = 1; n <= 3; ++n) {
      testing::insertTask(db, testing::LedgerTask(n, formatIsoUtc(now - std::chrono::minutes(10))).state("in_progress"));
    }
    db.sql().exec("UPDATE tasks SET next_check_at = '2999-01-01T00:00:00.000Z'");
    since_ = formatIsoUtc(now - std::chrono::hours(1));
  }

  std::string runSummary(std::vector<std::string> extra) {
    std::vector<std::string> args{"--db", db_};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("run");
    auto r = runTaskledger(args, testing::withEnv({{"HOME", "/nonexistent"}}, {"TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"}));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.err;
  }

  std::string reportJson(std::vector<std::string> extra) {
    std::vector<std::string> args{"--db", db_};
    args.insert(args.end(), extra.begin(), extra.end());
    for (const char* a : {"report", "--format", "json", "--since"}) args.push_back(a);
    args.push_back(since_);
    auto r = runTaskledger(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  testing::TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
  std::string since_;
};

TEST_F(StuckAfterTest, OneIniKeyMakesRunAndReportCountTheSameStuckTasks) {
  const std::string ini = dir_.file("taskledger.ini");
  std::ofstream(ini) << "stuck-after = 5m\n";
  EXPECT_NE(runSummary({"--config", ini}).find("(3 stuck)"), std::string::npos);
  EXPECT_NE(reportJson({"--config", ini}).find("\"stuck\": 3,"), std::string::npos);
}

TEST_F(StuckAfterTest, TheDefaultIsTheSameForBoth) {
  EXPECT_NE(runSummary({}).find("(0 stuck)"), std::string::npos);
  EXPECT_NE(reportJson({}).find("\"stuck\": 0,"), std::string::npos);
}

}  // namespace
}  // namespace taskledger
