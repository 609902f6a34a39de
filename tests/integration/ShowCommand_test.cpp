// `taskledger show` as an operator reads it: who made the change and from where, an attempts count
// that agrees with the checks listed under it, and outcomes in words.
#include <gtest/gtest.h>

#include <regex>

#include "support/Process.h"
#include "support/TempDir.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/TaskRepository.h"

namespace taskledger {
namespace {

using testing::runTaskledger;

constexpr const char* kId = "55c85074-3e7f-4c6d-864f-673660d4f8de";

class ShowCommandTest : public ::testing::Test {
 protected:
  ShowCommandTest() : db_(dir_.file("ledger.db")) {}

  // A task found by discover, then asked three times by a run: once refused for the rate limit
  // (audited, the task left as it was), once in progress, once succeeded.
  void recordDiscoveredTaskAndThreeChecks() {
    ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0);
    store::Database db(db_);
    store::TaskRepository repo(db);
    const TimePoint t0 = *parseIsoTimestamp("2026-03-10T08:00:00Z");
    auto writer = repo.beginImport(t0);
    NewTask t;
    t.region = "ap-guangzhou";
    t.request_id = kId;
    t.operation = "CreateListener";
    t.source = "cloudaudit";
    t.actor = "alice";
    t.source_ip = "203.0.113.7";
    writer->insert(t);
    writer->commit();
    const std::int64_t task_id = repo.findByRequestId(kId).at(0).id;
    std::vector<store::AnswerRecord> records(3);
    const char* outcomes[] = {"RequestLimitExceeded", "status:2", "status:0"};
    for (int i = 0; i < 3; ++i) {
      records[i].check.task_id = task_id;
      records[i].check.checked_at = t0 + std::chrono::seconds(10 * (i + 1));
      records[i].check.outcome = outcomes[i];
      records[i].check.endpoint_host = "clb.ap-guangzhou.tencentcloudapi.com";
    }
    store::TaskUpdate progress;
    progress.state = TaskState::InProgress;
    progress.last_status = 2;
    records[1].update = progress;
    store::TaskUpdate done;
    done.state = TaskState::Succeeded;
    done.last_status = 0;
    done.resolved_at = t0 + std::chrono::seconds(30);
    records[2].update = done;
    repo.recordAnswers(records);
  }

  testing::TempDir dir_;
  std::string db_;
};

TEST_F(ShowCommandTest, PrintsActorSourceIpAndAttemptsThatMatchTheChecks) {
  recordDiscoveredTaskAndThreeChecks();
  auto r = runTaskledger({"show", kId, "--db", db_, "--utc"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n  actor +alice\n)"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n  source ip +203\.0\.113\.7\n)"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n  attempts +3\n)"))) << r.out;
  EXPECT_NE(r.out.find("checks (3):"), std::string::npos) << r.out;
}

TEST_F(ShowCommandTest, SaysOutcomesInWordsAndErrorCodesAsTheyCame) {
  recordDiscoveredTaskAndThreeChecks();
  auto r = runTaskledger({"show", kId, "--db", db_, "--utc"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("RequestLimitExceeded"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  in progress "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  succeeded "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("status:"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace taskledger
