// report --format csv --table: each table as a spreadsheet user reads it, row by row.
#include <gtest/gtest.h>

#include <sstream>

#include "TestLedger.h"
#include "support/ScopedTimeZone.h"
#include "support/TempDir.h"
#include "taskledger/report/Format.h"
#include "taskledger/report/Reporter.h"

namespace taskledger::report {
namespace {

using testing::at;
using testing::insertTask;
using testing::LedgerTask;
using testing::requestId;

std::vector<std::string> lines(const std::string& csv) {
  std::vector<std::string> out;
  std::istringstream in(csv);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

class CsvTablesTest : public ::testing::Test {
 protected:
  CsvTablesTest() : db_(dir_.file("ledger.db")) {}

  Summary day(bool compare = false) {
    ReportRequest r;
    r.window = *dayWindow("2026-03-10", true);
    r.utc = true;
    if (compare) r.previous = previousWindow(r.window, true);
    return summarize(db_, r, at("2026-03-10T12:00:00Z"));
  }

  testing::TempDir dir_;
  store::Database db_;
};

TEST_F(CsvTablesTest, FailureReasonsAreOneRowPerProblemLargestFirstWithEveryRegion) {
  for (int n : {1, 2, 3}) {
    insertTask(db_, LedgerTask(n, "2026-03-10T0" + std::to_string(n) + ":00:00.000Z")
                        .region(n == 2 ? "ap-shanghai" : "ap-guangzhou")
                        .state("failed")
                        .resolvedAt("2026-03-10T09:00:00.000Z")
                        .message("backend rs not found"));
  }
  insertTask(db_, LedgerTask(4, "2026-03-10T04:00:00.000Z")
                      .state("failed")
                      .resolvedAt("2026-03-10T09:00:00.000Z")
                      .message("=HYPERLINK(\"x\"), said the server"));
  insertTask(db_, LedgerTask(5, "2026-03-10T05:00:00.000Z")
                      .state("rejected")
                      .operation("ModifyListener")
                      .lastErrorCode("InvalidParameter")
                      .lastErrorMessage("TaskId is malformed"));
  const auto rows = lines(renderCsvTable(day(), CsvTable::FailureReasons));
  ASSERT_EQ(rows.size(), 4u) << renderCsvTable(day(), CsvTable::FailureReasons);
  EXPECT_EQ(rows[0], "class,count,error_code,message,regions,operations,example_request_id,actors,example_request_ids");
  EXPECT_EQ(rows[1], "failed,3,,backend rs not found,ap-guangzhou;ap-shanghai,RegisterTargets," + requestId(1) +
                         ",(unknown)," + requestId(1) + ";" + requestId(2) + ";" + requestId(3));
  // Server text is a value, never a formula, and its quotes and comma stay inside one cell.
  EXPECT_EQ(rows[2], "failed,1,,\"'=HYPERLINK(\"\"x\"\"), said the server\",ap-guangzhou,RegisterTargets," +
                         requestId(4) + ",(unknown)," + requestId(4));
  EXPECT_EQ(rows[3], "rejected,1,InvalidParameter,TaskId is malformed,ap-guangzhou,ModifyListener," + requestId(5) +
                         ",(unknown)," + requestId(5));
}

TEST_F(CsvTablesTest, HoursCoverTheDayUpToTheReportWithSubmittedResolvedAndFailed) {
  insertTask(db_, LedgerTask(1, "2026-03-10T01:10:00.000Z").resolvedAt("2026-03-10T01:20:00.000Z"));
  insertTask(db_, LedgerTask(2, "2026-03-10T01:30:00.000Z").state("failed").resolvedAt("2026-03-10T03:05:00.000Z"));
  const auto rows = lines(renderCsvTable(day(), CsvTable::Hours));
  ASSERT_EQ(rows.size(), 13u);  // the header and the 12 hours before the report was made at 12:00
  EXPECT_EQ(rows[0], "from,until,submitted,resolved,failed");
  EXPECT_EQ(rows[1], "2026-03-10T00:00:00Z,2026-03-10T01:00:00Z,0,0,0");
  EXPECT_EQ(rows[2], "2026-03-10T01:00:00Z,2026-03-10T02:00:00Z,2,1,0");
  EXPECT_EQ(rows[4], "2026-03-10T03:00:00Z,2026-03-10T04:00:00Z,0,1,1");
  EXPECT_EQ(rows[12], "2026-03-10T11:00:00Z,2026-03-10T12:00:00Z,0,0,0");
}

TEST_F(CsvTablesTest, TimesCarryTheirZoneAndAgesAreWholeSeconds) {
  testing::ScopedTimeZone tz("Asia/Shanghai");
  insertTask(db_, LedgerTask(1, "2026-03-10T01:10:00.250Z").state("failed").resolvedAt("2026-03-10T01:20:00.000Z"));
  insertTask(db_, LedgerTask(2, "2026-03-10T01:30:00.400Z").state("pending"));
  ReportRequest r;
  r.window = *dayWindow("2026-03-10", false);
  const auto rows = lines(renderCsvTable(summarize(db_, r, at("2026-03-10T12:00:00Z")), CsvTable::Tasks));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_NE(rows[1].find(",2026-03-10T09:10:00+08:00,2026-03-10T09:20:00+08:00,,"), std::string::npos) << rows[1];
  // Stuck for 10h29m59.6s: the age is whole seconds, rounded.
  EXPECT_NE(rows[2].find(",2026-03-10T09:30:00+08:00,,37800,"), std::string::npos) << rows[2];
}

TEST_F(CsvTablesTest, ByActorCountsEachActorPerClassAndTasksWithoutOneAsUnknown) {
  insertTask(db_, LedgerTask(1, "2026-03-10T01:00:00.000Z").resolvedAt("2026-03-10T01:01:00.000Z").actor("alice"));
  insertTask(db_, LedgerTask(2, "2026-03-10T02:00:00.000Z")
                      .state("failed")
                      .resolvedAt("2026-03-10T02:01:00.000Z")
                      .actor("alice"));
  insertTask(db_, LedgerTask(3, "2026-03-10T03:00:00.000Z").resolvedAt("2026-03-10T03:01:00.000Z").actor("@bob"));
  insertTask(db_, LedgerTask(4, "2026-03-10T04:00:00.000Z").resolvedAt("2026-03-10T04:01:00.000Z"));
  const auto rows = lines(renderCsvTable(day(), CsvTable::ByActor));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], "actor,total,succeeded,failed,stuck,in_progress,pending,rejected,expired");
  EXPECT_EQ(rows[1], "'@bob,1,1,0,0,0,0,0,0");
  EXPECT_EQ(rows[2], "alice,2,1,1,0,0,0,0,0");
  EXPECT_EQ(rows[3], "(unknown),1,1,0,0,0,0,0,0");  // the column sums to the total

  RenderOptions bom;
  bom.bom = true;
  EXPECT_EQ(renderCsvTable(day(), CsvTable::ByActor, bom).rfind("\xEF\xBB\xBF" "actor,total,", 0), 0u);
}

TEST_F(CsvTablesTest, TheHeadlineIsATableToo) {
  insertTask(db_, LedgerTask(1, "2026-03-09T01:00:00.000Z").state("failed").resolvedAt("2026-03-09T01:01:00.000Z"));
  insertTask(db_, LedgerTask(2, "2026-03-09T02:00:00.000Z").state("failed").resolvedAt("2026-03-09T02:01:00.000Z"));
  insertTask(db_, LedgerTask(3, "2026-03-10T01:00:00.000Z").state("failed").resolvedAt("2026-03-10T01:01:00.000Z"));
  const auto rows = lines(renderCsvTable(day(), CsvTable::Headline));
  ASSERT_EQ(rows.size(), 6u);  // the header and five items; the day is partial, cut at 12:00
  EXPECT_EQ(rows[0], "item,count,previous,change,previous_since,previous_until");
  EXPECT_EQ(rows[1], "failed,1,2,-1,2026-03-09T00:00:00Z,2026-03-09T12:00:00Z");
  EXPECT_EQ(rows[5], "parked_regions,0,0,0,2026-03-09T00:00:00Z,2026-03-09T12:00:00Z");
  EXPECT_EQ(parseCsvTable("headline"), CsvTable::Headline);
}

TEST_F(CsvTablesTest, TotalsCarryThePreviousDayAndTheChangeAsPlainNumbers) {
  insertTask(db_, LedgerTask(1, "2026-03-09T01:00:00.000Z").state("failed").resolvedAt("2026-03-09T01:01:00.000Z"));
  insertTask(db_, LedgerTask(2, "2026-03-09T02:00:00.000Z").state("failed").resolvedAt("2026-03-09T02:01:00.000Z"));
  insertTask(db_, LedgerTask(3, "2026-03-10T01:00:00.000Z").resolvedAt("2026-03-10T01:01:00.000Z"));
  const auto alone = lines(renderCsvTable(day(), CsvTable::Totals));
  ASSERT_EQ(alone.size(), 9u);  // the header, seven classes, total
  EXPECT_EQ(alone[0], "class,tasks");
  EXPECT_EQ(alone[1], "succeeded,1");
  EXPECT_EQ(alone[8], "total,1");

  const auto compared = lines(renderCsvTable(day(true), CsvTable::Totals));
  ASSERT_EQ(compared.size(), 9u);
  EXPECT_EQ(compared[0], "class,tasks,previous,change");
  EXPECT_EQ(compared[1], "succeeded,1,0,1");
  // A fall is a number a spreadsheet can sum, not the guarded text "'-2".
  EXPECT_EQ(compared[2], "failed,0,2,-2");
  EXPECT_EQ(compared[8], "total,1,2,-1");
}

}  // namespace
}  // namespace taskledger::report
