// The report's grouped sections: failure reasons, the window over time, actors, regions that
// could not be checked, and the comparison with the window before.
#include <gtest/gtest.h>

#include "TestLedger.h"
#include "support/ScopedTimeZone.h"
#include "support/TempDir.h"
#include "taskledger/report/Format.h"
#include "taskledger/report/Reporter.h"

namespace taskledger::report {
namespace {

using testing::at;
using testing::insertParked;
using testing::insertRun;
using testing::insertTask;
using testing::LedgerTask;
using testing::requestId;

class ReporterSectionsTest : public ::testing::Test {
 protected:
  ReporterSectionsTest() : db_(dir_.file("ledger.db")) {}

  Summary day(const std::string& now, bool compare = false, Filters filters = {}) {
    ReportRequest r;
    r.window = *dayWindow("2026-03-10", true);
    r.utc = true;
    r.filters = filters;
    if (compare) r.previous = previousWindow(r.window, true);
    return summarize(db_, r, at(now));
  }

  void failed(int n, const std::string& submitted, const std::string& message, const std::string& region = "ap-guangzhou",
              const std::string& operation = "RegisterTargets") {
    insertTask(db_, LedgerTask(n, submitted)
                        .state("failed")
                        .region(region)
                        .operation(operation)
                        .resolvedAt(submitted)
                        .message(message));
  }

  testing::TempDir dir_;
  store::Database db_;
};

TEST_F(ReporterSectionsTest, FortyFailuresWithTwoReasonsAreTwoGroupsLargestFirst) {
  for (int i = 0; i < 40; ++i) {
    char submitted[32];
    std::snprintf(submitted, sizeof submitted, "2026-03-10T%02d:%02d:00.000Z", 1 + i / 10, i % 60);
    if (i % 4 == 0) {
      failed(i, submitted, "The listener port is already in use.", "ap-shanghai", "CreateListener");
    } else {
      failed(i, submitted, "backend rs not found", i % 2 ? "ap-guangzhou" : "ap-beijing");
    }
  }
  insertTask(db_, LedgerTask(100, "2026-03-10T05:00:00.000Z")
                      .state("rejected")
                      .lastErrorCode("InvalidParameter")
                      .lastErrorMessage("The TaskId was not found."));
  insertTask(db_, LedgerTask(101, "2026-03-10T05:01:00.000Z")
                      .state("rejected")
                      .lastErrorCode("InvalidParameter")
                      .lastErrorMessage("The TaskId was not found in region ap-beijing."));
  Summary s = day("2026-03-10T12:00:00Z");
  EXPECT_EQ(s.failed.size(), 40u);  // the per-task list stays
  ASSERT_EQ(s.failure_reasons.size(), 4u);
  const ReasonGroup& top = s.failure_reasons[0];
  EXPECT_EQ(top.task_class, TaskClass::Failed);
  EXPECT_EQ(top.message, "backend rs not found");
  EXPECT_EQ(top.count, 30);
  EXPECT_EQ(top.regions, (std::vector<std::string>{"ap-beijing", "ap-guangzhou"}));
  EXPECT_EQ(top.operations, (std::vector<std::string>{"RegisterTargets"}));
  EXPECT_EQ(top.example_request_id, requestId(1));
  EXPECT_EQ(s.failure_reasons[1].message, "The listener port is already in use.");
  EXPECT_EQ(s.failure_reasons[1].count, 10);
  EXPECT_EQ(s.failure_reasons[1].regions, (std::vector<std::string>{"ap-shanghai"}));
  EXPECT_EQ(s.failure_reasons[1].example_request_id, requestId(0));
  // Rejected tasks are grouped by their error code and message: two different sentences are two reasons.
  EXPECT_EQ(s.failure_reasons[2].task_class, TaskClass::Rejected);
  EXPECT_EQ(s.failure_reasons[2].error_code, "InvalidParameter");
  EXPECT_EQ(s.failure_reasons[2].count, 1);
  EXPECT_EQ(s.failure_reasons[3].count, 1);

  const std::string json = render(s, Format::Json);
  EXPECT_NE(json.find("\"failure_reasons\": [\n    {\"class\": \"failed\", \"message\": \"backend rs not found\", "
                      "\"error_code\": null, \"count\": 30, \"regions\": [\"ap-beijing\", \"ap-guangzhou\"]"),
            std::string::npos) << json;
  for (Format f : {Format::Text, Format::Markdown, Format::Html}) {
    const std::string doc = render(s, f);
    const auto reasons = doc.find("Failure reasons (4 reasons)");
    ASSERT_NE(reasons, std::string::npos) << doc;
    EXPECT_LT(reasons, doc.find("Failed (40)"));  // above the per-task lists
  }
}

TEST_F(ReporterSectionsTest, TheDayIsCutIntoHoursOfSubmittedResolvedAndFailed) {
  insertTask(db_, LedgerTask(1, "2026-03-10T00:10:00.000Z").resolvedAt("2026-03-10T00:20:00.000Z"));
  insertTask(db_, LedgerTask(2, "2026-03-10T00:50:00.000Z").resolvedAt("2026-03-10T02:05:00.000Z"));
  insertTask(db_, LedgerTask(3, "2026-03-10T02:00:00.000Z").state("failed").resolvedAt("2026-03-10T02:59:59.999Z"));
  insertTask(db_, LedgerTask(4, "2026-03-10T23:59:00.000Z").state("failed").resolvedAt("2026-03-11T00:01:00.000Z"));
  insertTask(db_, LedgerTask(5, "2026-03-10T23:30:00.000Z").state("pending"));
  Summary s = day("2026-03-11T08:00:00Z");
  EXPECT_EQ(s.bucket, std::chrono::hours(1));
  ASSERT_EQ(s.over_time.size(), 24u);
  EXPECT_EQ(s.over_time[0].from, at("2026-03-10T00:00:00Z"));
  EXPECT_EQ(s.over_time[0].submitted, 2);
  EXPECT_EQ(s.over_time[0].resolved, 1);
  EXPECT_EQ(s.over_time[2].submitted, 1);
  EXPECT_EQ(s.over_time[2].resolved, 2);
  EXPECT_EQ(s.over_time[2].failed, 1);
  EXPECT_EQ(s.over_time[23].submitted, 2);
  EXPECT_EQ(s.over_time[23].resolved, 0);  // resolved after the window: in no slice
  std::int64_t submitted = 0;
  for (const TimeBucket& b : s.over_time) submitted += b.submitted;
  EXPECT_EQ(submitted, s.totals.total);

  const std::string text = render(s, Format::Text, {.width = 0});
  EXPECT_NE(text.find("\n  02:00Z                    1         2       1\n"), std::string::npos) << text;
  // Twenty quiet hours in a row are one line, not twenty.
  EXPECT_NE(text.find("\n  03:00Z to 22:00Z          0         0       0\n"), std::string::npos) << text;
  const std::string html = render(s, Format::Html);
  EXPECT_NE(html.find("title=\"02:00Z: 1 submitted, 2 resolved, 1 failed\""), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST_F(ReporterSectionsTest, ALongWindowIsCutIntoAtMostFortyEightSlices) {
  ReportRequest r;
  r.window = Window{at("2026-03-01T00:00:00Z"), at("2026-03-08T00:00:00Z")};
  r.utc = true;
  Summary s = summarize(db_, r, at("2026-03-10T00:00:00Z"));
  EXPECT_EQ(s.bucket, std::chrono::hours(4));
  EXPECT_EQ(s.over_time.size(), 42u);
}

TEST_F(ReporterSectionsTest, ActorsAreCountedAndShownForFailedAndStuckTasks) {
  insertTask(db_, LedgerTask(1, "2026-03-10T01:00:00.000Z").state("failed").actor("alice").sourceIp("203.0.113.7"));
  insertTask(db_, LedgerTask(2, "2026-03-10T02:00:00.000Z").actor("alice"));
  insertTask(db_, LedgerTask(3, "2026-03-10T03:00:00.000Z").state("in_progress").actor("terraform@ci"));
  insertTask(db_, LedgerTask(4, "2026-03-10T04:00:00.000Z"));  // imported: no actor
  Summary s = day("2026-03-10T12:00:00Z");
  ASSERT_EQ(s.by_actor.size(), 2u);
  EXPECT_EQ(s.by_actor.at("alice").total, 2);
  EXPECT_EQ(s.by_actor.at("alice").of(TaskClass::Failed), 1);
  EXPECT_EQ(s.by_actor.at("terraform@ci").of(TaskClass::Stuck), 1);
  EXPECT_EQ(s.without_actor, 1);
  EXPECT_EQ(s.failed[0].actor, "alice");
  EXPECT_EQ(s.failed[0].source_ip, "203.0.113.7");

  const std::string json = render(s, Format::Json);
  EXPECT_NE(json.find("\"by_actor\": {\n    \"alice\": {\"total\": 2, \"succeeded\": 1, \"failed\": 1,"),
            std::string::npos) << json;
  EXPECT_NE(json.find("\"actor\": \"alice\", \"source_ip\": \"203.0.113.7\"}"), std::string::npos);
  const std::string text = render(s, Format::Text);
  EXPECT_NE(text.find("By actor\n  (1 task without an actor (imported or added by hand) not shown)"),
            std::string::npos) << text;
  // The actor of the failed and the stuck task, before where and when.
  EXPECT_NE(text.find("\n    attempts 1  actor alice  region ap-guangzhou"), std::string::npos) << text;
  EXPECT_NE(text.find("\n    state in_progress  age 9h  attempts 1  actor terraform@ci"), std::string::npos) << text;
  EXPECT_NE(render(s, Format::Html).find("<td>terraform@ci</td>"), std::string::npos);
}

TEST_F(ReporterSectionsTest, ParkedRegionsAndNeverCheckedTasksAreNamedSoZeroFailedHidesNothing) {
  const auto run = insertRun(db_, "2026-03-10T10:00:00Z", "2026-03-10T10:01:00Z");
  const auto later = insertRun(db_, "2026-03-10T11:00:00Z", "2026-03-10T11:01:00Z");
  insertParked(db_, run, "ap-jakarta", "UnsupportedRegion", "2026-03-10T10:00:01.000Z", "not supported");
  insertParked(db_, later, "ap-jakarta", "UnsupportedRegion", "2026-03-10T11:00:01.000Z", "still not supported");
  insertParked(db_, later, "ap-beijing", "UnsupportedRegion", "2026-03-09T11:00:01.000Z");  // the day before
  insertTask(db_, LedgerTask(1, "2026-03-10T09:00:00.000Z").region("ap-jakarta").state("pending").attempts(0));
  insertTask(db_, LedgerTask(2, "2026-03-10T09:30:00.000Z").region("ap-jakarta").state("pending").attempts(0));
  insertTask(db_, LedgerTask(3, "2026-03-10T09:40:00.000Z").region("ap-jakarta").state("in_progress").attempts(2));
  insertTask(db_, LedgerTask(4, "2026-03-10T09:00:00.000Z").region("ap-guangzhou"));
  Summary s = day("2026-03-10T12:00:00Z");
  EXPECT_EQ(s.totals.of(TaskClass::Failed), 0);
  ASSERT_EQ(s.parked_regions.size(), 1u);
  const ParkedRegion& p = s.parked_regions[0];
  EXPECT_EQ(p.region, "ap-jakarta");
  EXPECT_EQ(p.code, "UnsupportedRegion");
  EXPECT_EQ(p.since, at("2026-03-10T10:00:01Z"));
  EXPECT_EQ(p.last, at("2026-03-10T11:00:01Z"));
  EXPECT_EQ(p.runs, 2);
  EXPECT_EQ(p.unresolved, 3);
  EXPECT_EQ(p.message, "still not supported");
  ASSERT_EQ(s.never_checked.size(), 1u);
  EXPECT_EQ(s.never_checked_total, 2);
  EXPECT_EQ(s.never_checked[0].oldest, at("2026-03-10T09:00:00Z"));
  const auto w = warnings(s);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_NE(w[0].find("could not check ap-jakarta"), std::string::npos) << w[0];
  EXPECT_NE(w[1].find("2 tasks were never checked"), std::string::npos) << w[1];

  const std::string json = render(s, Format::Json);
  EXPECT_NE(json.find("\"parked_regions\": [\n    {\"region\": \"ap-jakarta\", \"profile\": \"default\", \"code\": "
                      "\"UnsupportedRegion\", \"message\": \"still not supported\", \"since\": "
                      "\"2026-03-10T10:00:01.000Z\""),
            std::string::npos) << json;
  EXPECT_NE(json.find("\"never_checked\": {\"total\": 2, \"by_region\": [\n    {\"region\": \"ap-jakarta\""),
            std::string::npos) << json;
  for (Format f : {Format::Text, Format::Markdown, Format::Html}) {
    const std::string doc = render(s, f);
    EXPECT_NE(doc.find("Parked regions (1)"), std::string::npos);
    EXPECT_NE(doc.find("Never checked (2 tasks)"), std::string::npos);
  }
  // The region filter applies to parked regions too.
  EXPECT_TRUE(day("2026-03-10T12:00:00Z", false, Filters{"ap-guangzhou", "", ""}).parked_regions.empty());
}

TEST_F(ReporterSectionsTest, AFreshTaskNotYetAskedIsListedButRaisesNoWarning) {
  insertRun(db_, "2026-03-10T11:58:00Z", "2026-03-10T11:59:00Z");
  insertTask(db_, LedgerTask(1, "2026-03-10T11:59:30.000Z").state("pending").attempts(0));
  Summary s = day("2026-03-10T12:00:00Z");
  EXPECT_EQ(s.never_checked_total, 1);
  EXPECT_TRUE(warnings(s).empty());
}

TEST_F(ReporterSectionsTest, ComparedWithTheDayBeforeFailuresDoubled) {
  failed(1, "2026-03-09T01:00:00.000Z", "x");
  failed(2, "2026-03-09T02:00:00.000Z", "x");
  insertTask(db_, LedgerTask(3, "2026-03-09T03:00:00.000Z"));
  insertTask(db_, LedgerTask(4, "2026-03-08T23:59:59.999Z"));  // two days before: not counted
  // The day before, later than the report's hour of today: today has not got there yet.
  for (int i = 5; i < 9; ++i) insertTask(db_, LedgerTask(i, "2026-03-09T15:00:00.000Z"));
  for (int i = 10; i < 14; ++i) failed(i, "2026-03-10T01:00:00.000Z", "x");
  Summary s = day("2026-03-10T12:00:00Z", true);
  ASSERT_TRUE(s.previous);
  EXPECT_TRUE(s.partial);
  EXPECT_EQ(s.previous->window.since, at("2026-03-09T00:00:00Z"));
  EXPECT_EQ(s.previous->window.until, at("2026-03-09T12:00:00Z"));  // the same span: cut at 12:00
  EXPECT_EQ(s.previous->totals.total, 3);
  EXPECT_EQ(s.previous->totals.of(TaskClass::Failed), 2);

  const std::string text = render(s, Format::Text, {.width = 0});
  EXPECT_NE(text.find("  failed           4  100.0%         2  +2 (+100%)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  succeeded        0    0.0%         1  -1 (-100%)\n"), std::string::npos) << text;
  const std::string json = render(s, Format::Json);
  EXPECT_NE(json.find("\"previous\": {\"window\": {\"since\": \"2026-03-09T00:00:00.000Z\", \"until\": \"2026-03-09T12:00:00.000Z\""),
            std::string::npos) << json;
  EXPECT_NE(json.find("\"partial\": true,"), std::string::npos);
  EXPECT_NE(text.find("partial: up to 2026-03-10 12:00:00Z, compared with the same span of the previous window"),
            std::string::npos) << text;
  EXPECT_NE(json.find("\"change\": {\"total\": 1, \"succeeded\": -1, \"failed\": 2,"), std::string::npos) << json;
  EXPECT_NE(render(s, Format::Markdown).find("| failed | 4 | 100.0% | 2 | +2 (+100%) |"), std::string::npos)
      << render(s, Format::Markdown);
  EXPECT_NE(render(s, Format::Html).find("<td class=\"num\">+2 (+100%)</td>"), std::string::npos);
  // Without the flag: no columns, and null in JSON.
  Summary plain = day("2026-03-10T12:00:00Z");
  EXPECT_FALSE(plain.previous);
  EXPECT_NE(render(plain, Format::Json).find("\"previous\": null\n}"), std::string::npos);
}

TEST_F(ReporterSectionsTest, ThePreviousWindowOfADayAcrossDstIsTheCivilDayBefore) {
  {
    // Berlin: 2026-03-30 is 24 hours, the 29th before it only 23.
    testing::ScopedTimeZone tz("Europe/Berlin");
    const Window w = *dayWindow("2026-03-30", false);
    const Window before = previousWindow(w, false);
    EXPECT_EQ(before.since, at("2026-03-28T23:00:00Z"));
    EXPECT_EQ(before.until, w.since);
  }
  // Not a day: as long, just before.
  const Window span{at("2026-03-10T08:00:00Z"), at("2026-03-10T10:30:00Z")};
  EXPECT_EQ(previousWindow(span, true).since, at("2026-03-10T05:30:00Z"));
  EXPECT_EQ(previousWindow(span, true).until, span.since);
}

}  // namespace
}  // namespace taskledger::report
