#include "taskledger/report/Reporter.h"

#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include "TestLedger.h"
#include "support/TempDir.h"
#include "taskledger/report/Format.h"
#include "taskledger/store/ReportQueries.h"

namespace taskledger::report {
namespace {

using testing::at;
using testing::insertRun;
using testing::insertTask;
using testing::LedgerTask;
using testing::requestId;

class ReporterTest : public ::testing::Test {
 protected:
  ReporterTest() : db_(dir_.file("ledger.db")) {}

  Summary day(const std::string& now, Filters filters = {}) {
    ReportRequest r;
    r.window = *dayWindow("2026-03-10", true);
    r.filters = filters;
    r.utc = true;
    return summarize(db_, r, at(now));
  }

  testing::TempDir dir_;
  store::Database db_;
};

std::int64_t sumOfClasses(const ClassCounts& c) {
  std::int64_t n = 0;
  for (TaskClass k : kAllClasses) n += c.of(k);
  return n;
}

TEST_F(ReporterTest, TheStuckThresholdIsExclusive) {
  // now 12:00; stuck after 30m: 11:30:00.000 is exactly 30m old, 11:29:59.999 a millisecond more.
  insertTask(db_, LedgerTask(1, "2026-03-10T11:30:00.000Z").state("pending"));
  insertTask(db_, LedgerTask(2, "2026-03-10T11:30:00.000Z").state("in_progress"));
  insertTask(db_, LedgerTask(3, "2026-03-10T11:29:59.999Z").state("pending"));
  insertTask(db_, LedgerTask(4, "2026-03-10T11:29:59.999Z").state("in_progress"));
  Summary s = day("2026-03-10T12:00:00Z");
  EXPECT_EQ(s.totals.of(TaskClass::Pending), 1);
  EXPECT_EQ(s.totals.of(TaskClass::InProgress), 1);
  EXPECT_EQ(s.totals.of(TaskClass::Stuck), 2);
  ASSERT_EQ(s.stuck.size(), 2u);
  EXPECT_EQ(s.stuck[0].request_id, requestId(3));
  EXPECT_EQ(s.stuck[0].state, TaskState::Pending);
  EXPECT_EQ(s.stuck[0].age, std::chrono::minutes(30) + Millis(1));
  EXPECT_EQ(s.stuck[1].request_id, requestId(4));
  EXPECT_EQ(s.stuck[1].state, TaskState::InProgress);
}

TEST_F(ReporterTest, WindowIsHalfOpenOnSubmissionTime) {
  insertTask(db_, LedgerTask(1, "2026-03-09T23:59:59.999Z").resolvedAt("2026-03-10T00:01:00.000Z"));
  insertTask(db_, LedgerTask(2, "2026-03-10T00:00:00.000Z").resolvedAt("2026-03-10T00:01:00.000Z"));
  insertTask(db_, LedgerTask(3, "2026-03-10T23:59:59.999Z").resolvedAt("2026-03-11T00:01:00.000Z"));
  insertTask(db_, LedgerTask(4, "2026-03-11T00:00:00.000Z").resolvedAt("2026-03-11T00:01:00.000Z"));
  Summary s = day("2026-03-11T12:00:00Z");
  EXPECT_EQ(s.totals.total, 2);
  EXPECT_EQ(s.totals.of(TaskClass::Succeeded), 2);
}

TEST_F(ReporterTest, ATaskResolvedAfterTheWindowCountsInItsSubmissionWindowAsItIsNow) {
  // Submitted late on the 10th, failed after midnight: the report of the 10th, written on the
  // 11th, lists it as failed and counts its whole resolution time.
  insertTask(db_, LedgerTask(1, "2026-03-10T23:50:00.000Z")
                      .state("failed")
                      .resolvedAt("2026-03-11T00:20:00.000Z")
                      .message("backend rs not found"));
  Summary s = day("2026-03-11T08:00:00Z");
  EXPECT_EQ(s.totals.of(TaskClass::Failed), 1);
  ASSERT_EQ(s.failed.size(), 1u);
  EXPECT_EQ(s.failed[0].resolved_at, at("2026-03-11T00:20:00Z"));
  ASSERT_TRUE(s.resolution);
  EXPECT_EQ(s.resolution->max, std::chrono::minutes(30));
  // The same task is nowhere in the next day's report.
  ReportRequest next;
  next.window = *dayWindow("2026-03-11", true);
  EXPECT_EQ(summarize(db_, next, at("2026-03-11T08:00:00Z")).totals.total, 0);
}

TEST_F(ReporterTest, EveryTaskIsInExactlyOneClassInEveryBreakdown) {
  const char* states[] = {"pending", "in_progress", "succeeded", "failed", "rejected", "expired"};
  const char* regions[] = {"ap-guangzhou", "ap-shanghai", "ap-beijing"};
  const char* operations[] = {"RegisterTargets", "", "ModifyListener", "CreateRule"};
  for (int i = 0; i < 60; ++i) {
    char submitted[32];
    std::snprintf(submitted, sizeof submitted, "2026-03-10T%02d:%02d:00.000Z", 8 + i / 20, (i * 7) % 60);
    const std::string state = states[i % 6];
    LedgerTask t(i, submitted);
    t.region(regions[i % 3]).state(state).operation(operations[i % 4]);
    if (state == "succeeded" || state == "failed") t.resolvedAt("2026-03-10T11:00:00.000Z");
    insertTask(db_, t);
  }
  Summary s = day("2026-03-10T10:15:00Z");
  EXPECT_EQ(s.totals.total, 60);
  EXPECT_EQ(sumOfClasses(s.totals), 60);
  EXPECT_GT(s.totals.of(TaskClass::Stuck), 0);
  EXPECT_GT(s.totals.of(TaskClass::Pending) + s.totals.of(TaskClass::InProgress), 0);
  for (const auto* breakdown : {&s.by_region, &s.by_operation}) {
    ClassCounts sum;
    for (const auto& [key, c] : *breakdown) {
      EXPECT_EQ(sumOfClasses(c), c.total) << key;
      for (TaskClass k : kAllClasses) sum.add(k, c.of(k));
    }
    EXPECT_EQ(sum.by_class, s.totals.by_class);
  }
  EXPECT_EQ(s.by_region.size(), 3u);
  EXPECT_EQ(s.by_operation.count(""), 1u);  // a task without an operation is still counted
  EXPECT_EQ(static_cast<std::int64_t>(s.failed.size()), s.totals.of(TaskClass::Failed));
  EXPECT_EQ(static_cast<std::int64_t>(s.stuck.size()), s.totals.of(TaskClass::Stuck));
  EXPECT_EQ(static_cast<std::int64_t>(s.rejected.size()), s.totals.of(TaskClass::Rejected));
}

TEST_F(ReporterTest, PercentilesAreNearestRankOverSucceededAndFailed) {
  // Resolution times 1..100 s; a rejected and an expired task with resolved_at do not count.
  for (int i = 1; i <= 100; ++i) {
    char resolved[32];
    std::snprintf(resolved, sizeof resolved, "2026-03-10T01:%02d:%02d.000Z", i / 60, i % 60);
    insertTask(
        db_, LedgerTask(i, "2026-03-10T01:00:00.000Z").state(i % 2 ? "succeeded" : "failed").resolvedAt(resolved));
  }
  insertTask(db_,
             LedgerTask(101, "2026-03-10T01:00:00.000Z").state("rejected").resolvedAt("2026-03-10T05:00:00.000Z"));
  Summary s = day("2026-03-10T12:00:00Z");
  ASSERT_TRUE(s.resolution);
  EXPECT_EQ(s.resolution->count, 100);
  EXPECT_EQ(s.resolution->p50, std::chrono::seconds(50));
  EXPECT_EQ(s.resolution->p90, std::chrono::seconds(90));
  EXPECT_EQ(s.resolution->p99, std::chrono::seconds(99));
  EXPECT_EQ(s.resolution->max, std::chrono::seconds(100));
}

TEST_F(ReporterTest, PercentilesOfOneTaskAreThatTask) {
  insertTask(db_, LedgerTask(1, "2026-03-10T01:00:00.000Z").resolvedAt("2026-03-10T01:00:12.345Z"));
  Summary s = day("2026-03-10T12:00:00Z");
  ASSERT_TRUE(s.resolution);
  EXPECT_EQ(s.resolution->p50, Millis(12345));
  EXPECT_EQ(s.resolution->max, Millis(12345));
}

TEST_F(ReporterTest, FiltersNarrowTheTasksButNotTheWindow) {
  insertTask(db_, LedgerTask(1, "2026-03-10T01:00:00.000Z").region("ap-guangzhou"));
  insertTask(db_, LedgerTask(2, "2026-03-10T02:00:00.000Z").region("ap-shanghai"));
  insertTask(
      db_,
      LedgerTask(3, "2026-03-10T03:00:00.000Z").region("ap-shanghai").operation("CreateRule").profile("prod"));
  EXPECT_EQ(day("2026-03-10T12:00:00Z", Filters{"ap-shanghai", "", ""}).totals.total, 2);
  EXPECT_EQ(day("2026-03-10T12:00:00Z", Filters{"", "prod", ""}).totals.total, 1);
  EXPECT_EQ(day("2026-03-10T12:00:00Z", Filters{"", "", "RegisterTargets"}).totals.total, 2);
  EXPECT_EQ(day("2026-03-10T12:00:00Z", Filters{"ap-shanghai", "", "RegisterTargets"}).totals.total, 1);
  EXPECT_EQ(day("2026-03-10T12:00:00Z", Filters{"eu-frankfurt", "", ""}).totals.total, 0);
}

TEST_F(ReporterTest, AnEmptyWindowHasZeroCountsNoPercentilesAndNoLists) {
  insertTask(db_, LedgerTask(1, "2026-03-09T12:00:00.000Z"));
  Summary s = day("2026-03-10T12:00:00Z");
  EXPECT_EQ(s.totals.total, 0);
  EXPECT_TRUE(s.by_region.empty());
  EXPECT_TRUE(s.by_operation.empty());
  EXPECT_FALSE(s.resolution);
  EXPECT_TRUE(s.failed.empty() && s.stuck.empty() && s.rejected.empty());
}

TEST_F(ReporterTest, RejectedTasksShowTheErrorWhenTheApiGaveNoMessage) {
  insertTask(db_, LedgerTask(1, "2026-03-10T01:00:00.000Z")
                      .state("rejected")
                      .lastErrorCode("InvalidParameter")
                      .lastErrorMessage("TaskId is malformed"));
  Summary s = day("2026-03-10T12:00:00Z");
  ASSERT_EQ(s.rejected.size(), 1u);
  EXPECT_EQ(s.rejected[0].last_error_code, "InvalidParameter");
  EXPECT_EQ(s.rejected[0].message, "TaskId is malformed");
}

TEST_F(ReporterTest, HeaderCarriesTheLastRunAndWarnsWhenNobodyPolledTheWindow) {
  Summary none = day("2026-03-10T12:00:00Z");
  EXPECT_FALSE(none.last_run);
  ASSERT_EQ(warnings(none).size(), 1u);
  EXPECT_NE(warnings(none)[0].find("no run has ever polled"), std::string::npos);

  insertRun(db_, "2026-03-09T22:00:00Z", "2026-03-09T22:01:00Z");
  Summary stale = day("2026-03-10T12:00:00Z");
  ASSERT_TRUE(stale.last_run);
  ASSERT_EQ(warnings(stale).size(), 1u);
  EXPECT_NE(warnings(stale)[0].find("no run since 2026-03-10 00:00:00Z"), std::string::npos) << warnings(stale)[0];

  insertRun(db_, "2026-03-10T11:55:00Z", std::nullopt);
  Summary killed = day("2026-03-10T12:00:00Z");
  EXPECT_EQ(killed.last_run->started_at, at("2026-03-10T11:55:00Z"));
  EXPECT_FALSE(killed.last_run->finished_at);
  ASSERT_EQ(warnings(killed).size(), 1u);
  EXPECT_NE(warnings(killed)[0].find("has not finished"), std::string::npos);

  insertRun(db_, "2026-03-10T11:56:00Z", "2026-03-10T11:57:00Z", "done");
  Summary fine = day("2026-03-10T12:00:00Z");
  EXPECT_EQ(fine.last_run->exit_reason, "done");
  EXPECT_TRUE(warnings(fine).empty());
}

TEST_F(ReporterTest, TheWindowScanUsesTheSubmissionIndexWhateverTheFilters) {
  store::ReportQueries q(db_);
  for (const Filters& f : {Filters{}, Filters{"ap-guangzhou", "default", "RegisterTargets"}}) {
    const std::string plan = q.windowScanPlan(
        {at("2026-03-10T00:00:00Z"), at("2026-03-11T00:00:00Z"), f.region, f.profile, f.operation, {}});
    EXPECT_NE(plan.find("USING INDEX tasks_submitted"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;  // no sort: index order
  }
}

TEST_F(ReporterTest, TheHeadlineOfTheWindowBeforeIsCountedFromTheIndexAlone) {
  store::ReportQueries q(db_);
  const std::vector<TaskState> states{TaskState::Failed, TaskState::Rejected, TaskState::Pending, TaskState::InProgress};
  const std::string plan =
      q.outlineScanPlan({at("2026-03-10T00:00:00Z"), at("2026-03-11T00:00:00Z"), "", "", "", {}}, states);
  EXPECT_NE(plan.find("USING COVERING INDEX tasks_submitted (submitted_at>? AND submitted_at<?)"), std::string::npos)
      << plan;
  // A filter on another column needs the row, and still goes by the window.
  const std::string filtered =
      q.outlineScanPlan({at("2026-03-10T00:00:00Z"), at("2026-03-11T00:00:00Z"), "ap-guangzhou", "", "", {}}, states);
  EXPECT_NE(filtered.find("USING INDEX tasks_submitted (submitted_at>? AND submitted_at<?)"), std::string::npos)
      << filtered;
}

TEST_F(ReporterTest, ATaskNoWindowCanHoldIsWarnedAboutByName) {
  insertTask(db_, LedgerTask(1, "2026-03-10T01:00:00.000Z").state("failed"));
  insertTask(db_, LedgerTask(2, "2036-03-10T01:00:00.000Z").state("failed"));  // an event's year, stored by an older version
  insertRun(db_, "2026-03-10T11:50:00Z", "2026-03-10T11:51:00Z");
  const Summary s = day("2026-03-10T12:00:00Z");
  EXPECT_EQ(s.totals.total, 1);
  ASSERT_EQ(warnings(s).size(), 1u);
  EXPECT_EQ(warnings(s)[0], "1 task has a submission time not between 2000-01-01 and a day from now, so no report's "
                            "window holds it: " + requestId(2) + " (ap-guangzhou) submitted_at 2036-03-10T01:00:00.000Z "
                            "(an older version stored what an event said; see taskledger show ID)");
  // A script reading the JSON sees the same sentence.
  const auto json = Poco::JSON::Parser().parse(render(s, Format::Json)).extract<Poco::JSON::Object::Ptr>();
  ASSERT_EQ(json->getArray("warnings")->size(), 1u);
  EXPECT_EQ(json->getArray("warnings")->getElement<std::string>(0), warnings(s)[0]);
}

TEST_F(ReporterTest, FailOnMatchesOnlyNamedClassesWithTasks) {
  insertTask(db_, LedgerTask(1, "2026-03-10T01:00:00.000Z").state("failed"));
  Summary s = day("2026-03-10T12:00:00Z");
  EXPECT_TRUE(anyIn(s, {TaskClass::Stuck, TaskClass::Failed}));
  EXPECT_FALSE(anyIn(s, {TaskClass::Stuck, TaskClass::Rejected}));
  EXPECT_FALSE(anyIn(s, {}));
}

}  // namespace
}  // namespace taskledger::report
