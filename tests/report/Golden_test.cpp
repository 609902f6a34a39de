// Each format of one small fixed ledger, compared byte for byte with tests/report/golden/.
// After an intended change, regenerate with TASKLEDGER_UPDATE_GOLDEN=1, read the diff, commit.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "support/ScopedTimeZone.h"
#include "TestLedger.h"
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

// The evening of 2026-03-10 in Shanghai (UTC+8, no daylight saving): 20:00 local.
constexpr const char* kNow = "2026-03-10T12:00:00Z";

void buildLedger(store::Database& db) {
  // Outside the local day (16:00Z the evening before to 16:00Z): never counted.
  insertTask(db, LedgerTask(90, "2026-03-09T15:59:59.999Z").resolvedAt("2026-03-09T16:05:00.000Z"));
  insertTask(db, LedgerTask(91, "2026-03-10T16:00:00.000Z").state("failed"));

  insertTask(db, LedgerTask(1, "2026-03-10T01:00:00.000Z")
                     .resolvedAt("2026-03-10T01:02:30.000Z")
                     .resource("lb-0abc1234")
                     .attempts(3));
  insertTask(db, LedgerTask(2, "2026-03-10T02:00:00.000Z")
                     .resolvedAt("2026-03-10T02:00:45.500Z")
                     .resource("lb-0abc1234")
                     .attempts(2));
  insertTask(db, LedgerTask(3, "2026-03-10T03:00:00.000Z")
                     .region("ap-shanghai")
                     .resolvedAt("2026-03-10T03:10:00.000Z")
                     .operation("ModifyListener")
                     .resource("lbl-77aa")
                     .attempts(6));
  insertTask(db, LedgerTask(4, "2026-03-10T04:00:00.000Z")
                     .region("ap-shanghai")
                     .resolvedAt("2026-03-10T04:01:00.000Z")
                     .operation("ModifyListener")
                     .resource("lbl-77aa"));
  insertTask(db, LedgerTask(5, "2026-03-10T05:00:00.000Z")
                     .state("failed")
                     .resolvedAt("2026-03-10T05:03:00.000Z")
                     .operation("DeregisterTargets")
                     .resource("lb-0abc1234")
                     .attempts(4)
                     .message("backend rs not found")
                     .actor("alice")
                     .sourceIp("203.0.113.7"));
  insertTask(db, LedgerTask(13, "2026-03-10T07:10:00.000Z")
                     .region("ap-shanghai")
                     .state("failed")
                     .resolvedAt("2026-03-10T07:12:00.000Z")
                     .operation("DeregisterTargets")
                     .resource("lb-0abc1234")
                     .attempts(2)
                     .message("backend rs not found")
                     .actor("ci-pipeline")
                     .sourceIp("10.0.0.5"));
  // Hostile values, as a CSV file or an API answer could carry them.
  insertTask(db, LedgerTask(6, "2026-03-10T05:30:00.000Z")
                     .state("failed")
                     .resolvedAt("2026-03-10T05:31:00.000Z")
                     .resource("<script>alert('x')</script>")
                     .attempts(2)
                     .message("=cmd|' /C calc'!A0 & \"quoted\"")
                     .lastErrorCode("@SUM(1+1)"));
  insertTask(db, LedgerTask(7, "2026-03-10T06:00:00.000Z")
                     .region("ap-beijing")
                     .state("rejected")
                     .operation("ModifyListener")
                     .attempts(1)
                     .lastErrorCode("InvalidParameter.FormatError")
                     .lastErrorMessage("TaskId is malformed"));
  insertTask(db, LedgerTask(8, "2026-03-10T09:00:00.000Z")
                     .region("ap-shanghai")
                     .state("in_progress")
                     .resource("lb-9f00")
                     .attempts(12)
                     .lastErrorCode("InternalError")
                     .actor("alice")
                     .sourceIp("203.0.113.7"));
  insertTask(
      db,
      LedgerTask(9, "2026-03-10T11:00:00.000Z").region("ap-beijing").state("pending").operation("").attempts(0));
  insertTask(db, LedgerTask(10, "2026-03-10T11:45:00.000Z").state("in_progress").attempts(2));
  insertTask(db, LedgerTask(11, "2026-03-10T11:59:00.000Z").region("ap-beijing").state("pending").attempts(0));
  insertTask(db, LedgerTask(12, "2026-03-09T17:00:00.000Z")
                     .region("ap-singapore")
                     .state("expired")
                     .operation("CreateRule")
                     .attempts(40));
  const auto run = insertRun(db, "2026-03-10T11:55:00Z", "2026-03-10T11:56:10Z", "done");
  insertParked(db, run, "ap-jakarta", "UnsupportedRegion", "2026-03-10T11:55:01.000Z",
               "The region ap-jakarta is not supported.");
  // The previous day, for --compare-previous: one failure, two successes.
  insertTask(db, LedgerTask(80, "2026-03-09T01:00:00.000Z").state("failed").resolvedAt("2026-03-09T01:05:00.000Z"));
  insertTask(db, LedgerTask(81, "2026-03-09T02:00:00.000Z").resolvedAt("2026-03-09T02:05:00.000Z"));
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class GoldenTest : public ::testing::TestWithParam<std::pair<Format, const char*>> {};

// The fixed ledger's report for the local day 2026-03-10 in Shanghai, with the day before.
Summary goldenSummary(const testing::TempDir& dir) {
  store::Database db(dir.file("ledger.db"));
  buildLedger(db);
  ReportRequest request;
  request.window = *dayWindow("2026-03-10", false);
  request.previous = previousWindow(request.window, false);
  Summary s = summarize(db, request, at(kNow));
  s.ledger = "/var/lib/taskledger/ledger.db";  // the temporary path differs per run
  return s;
}

void expectGolden(const std::string& actual, const std::string& name) {
  const std::string golden = std::string(TASKLEDGER_SOURCE_DIR) + "/tests/report/golden/" + name;
  if (std::getenv("TASKLEDGER_UPDATE_GOLDEN")) {
    std::ofstream(golden, std::ios::binary) << actual;
    GTEST_SKIP() << "wrote " << golden;
  }
  EXPECT_EQ(actual, readFile(golden)) << "differs from " << golden;
}

TEST_P(GoldenTest, MatchesTheReviewedFile) {
  testing::ScopedTimeZone tz("Asia/Shanghai");
  testing::TempDir dir;
  expectGolden(render(goldenSummary(dir), GetParam().first), GetParam().second);
}

INSTANTIATE_TEST_SUITE_P(Formats, GoldenTest,
                         ::testing::Values(std::pair{Format::Text, "report.txt"},
                                           std::pair{Format::Csv, "report.csv"},
                                           std::pair{Format::Json, "report.json"},
                                           std::pair{Format::Markdown, "report.md"},
                                           std::pair{Format::Html, "report.html"}),
                         [](const auto& info) { return std::string(info.param.second).substr(7); });

class GoldenCsvTableTest : public ::testing::TestWithParam<std::pair<CsvTable, const char*>> {};

TEST_P(GoldenCsvTableTest, MatchesTheReviewedFile) {
  testing::ScopedTimeZone tz("Asia/Shanghai");
  testing::TempDir dir;
  expectGolden(renderCsvTable(goldenSummary(dir), GetParam().first), GetParam().second);
}

INSTANTIATE_TEST_SUITE_P(Tables, GoldenCsvTableTest,
                         ::testing::Values(std::pair{CsvTable::FailureReasons, "report-failure_reasons.csv"},
                                           std::pair{CsvTable::Hours, "report-hours.csv"},
                                           std::pair{CsvTable::ByActor, "report-by_actor.csv"},
                                           std::pair{CsvTable::Totals, "report-totals.csv"},
                                           std::pair{CsvTable::Headline, "report-headline.csv"}),
                         [](const auto& info) {
                           const std::string name = info.param.second;
                           return name.substr(7, name.size() - 11);
                         });

}  // namespace
}  // namespace taskledger::report
