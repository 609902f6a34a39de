// `taskledger report` end to end: the real binary, a real ledger file, TZ from the environment.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "TestLedger.h"
#include "support/Process.h"
#include "support/TempDir.h"

namespace taskledger {
namespace {

using testing::insertRun;
using testing::insertTask;
using testing::LedgerTask;
using testing::ProcessResult;
using testing::runTaskledger;

class ReportCommandTest : public ::testing::Test {
 protected:
  ReportCommandTest() : db_path_(dir_.file("ledger.db")) {
    store::Database db(db_path_);
    insertRun(db, "2024-05-01T00:00:00Z", "2024-05-01T00:01:00Z");
  }

  void add(const LedgerTask& t) {
    store::Database db(db_path_);
    insertTask(db, t);
  }

  ProcessResult report(std::vector<std::string> args, const std::string& tz = "UTC") {
    args.insert(args.begin(), {"report", "--db", db_path_});
    testing::ProcessOptions options;
    options.env = {{"TZ", tz}};
    return runTaskledger(args, options);
  }

  testing::TempDir dir_;
  std::string db_path_;
};

// The "totals" line of the JSON report, which lists the counts in a fixed order.
std::string totals(const std::string& json) {
  auto at = json.find("\"totals\": ");
  return json.substr(at, json.find('\n', at) - at);
}

TEST_F(ReportCommandTest, TheDayIsTheOperatorsLocalDayFromTz) {
  // 2024-05-10T20:00Z is still the 10th in New York but already the 11th in Shanghai.
  add(LedgerTask(1, "2024-05-10T20:00:00.000Z").resolvedAt("2024-05-10T20:01:00.000Z"));
  ProcessResult ny = report({"--day", "2024-05-10", "--format", "json"}, "America/New_York");
  ASSERT_EQ(ny.exit_code, 0) << ny.err;
  EXPECT_NE(ny.out.find("\"since\": \"2024-05-10T04:00:00.000Z\", \"until\": \"2024-05-11T04:00:00.000Z\""),
            std::string::npos) << ny.out;
  EXPECT_NE(totals(ny.out).find("\"total\": 1,"), std::string::npos) << ny.out;

  ProcessResult sh = report({"--day", "2024-05-10", "--format", "json"}, "Asia/Shanghai");
  ASSERT_EQ(sh.exit_code, 0) << sh.err;
  EXPECT_NE(totals(sh.out).find("\"total\": 0,"), std::string::npos) << sh.out;
  ProcessResult sh_next = report({"--day", "2024-05-11", "--format", "json"}, "Asia/Shanghai");
  EXPECT_NE(totals(sh_next.out).find("\"total\": 1,"), std::string::npos) << sh_next.out;

  // --utc: the UTC day, whatever TZ says; human times carry a Z.
  ProcessResult utc = report({"--day", "2024-05-10", "--utc"}, "Asia/Shanghai");
  ASSERT_EQ(utc.exit_code, 0) << utc.err;
  EXPECT_NE(utc.out.find("2024-05-10 00:00:00Z to 2024-05-11 00:00:00Z (24h)"), std::string::npos) << utc.out;
  EXPECT_NE(utc.out.find("Totals (1 task)"), std::string::npos) << utc.out;
}

TEST_F(ReportCommandTest, WithoutAWindowItIsTodayAndNamesTheLedgerInFull) {
  const TimePoint now = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
  add(LedgerTask(1, formatIsoUtc(now)).state("in_progress"));
  ProcessResult r = report({"--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string today = formatIsoUtc(now).substr(0, 10);
  if (r.out.find("\"since\": \"" + today + "T00:00:00.000Z\"") == std::string::npos) {
    GTEST_SKIP() << "midnight (UTC) passed during the test";
  }
  EXPECT_NE(totals(r.out).find("\"total\": 1, "), std::string::npos) << r.out;
  EXPECT_NE(totals(r.out).find("\"in_progress\": 1, "), std::string::npos) << r.out;
  ProcessResult text = runTaskledger({"report"}, [&] {
    testing::ProcessOptions o;
    o.env = {{"TASKLEDGER_DB", "ledger.db"}, {"TZ", "UTC"}};
    o.cwd = dir_.path().string();
    return o;
  }());
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Ledger     " + db_path_ + "\n"), std::string::npos) << text.out;
}

TEST_F(ReportCommandTest, ADayAcrossTheSpringDstChangeIsTwentyThreeHours) {
  // Berlin, 2026-03-29: midnight is 23:00Z the day before (CET), the next midnight 22:00Z (CEST).
  add(LedgerTask(1, "2026-03-28T22:59:59.999Z").resolvedAt("2026-03-28T23:10:00.000Z"));
  add(LedgerTask(2, "2026-03-28T23:00:00.000Z").resolvedAt("2026-03-28T23:10:00.000Z"));
  add(LedgerTask(3, "2026-03-29T21:59:59.999Z").resolvedAt("2026-03-29T22:10:00.000Z"));
  add(LedgerTask(4, "2026-03-29T22:00:00.000Z").resolvedAt("2026-03-29T22:10:00.000Z"));
  ProcessResult r = report({"--day", "2026-03-29", "--format", "json"}, "Europe/Berlin");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"since\": \"2026-03-28T23:00:00.000Z\", \"until\": \"2026-03-29T22:00:00.000Z\""),
            std::string::npos) << r.out;
  EXPECT_NE(totals(r.out).find("\"total\": 2, \"succeeded\": 2,"), std::string::npos) << r.out;
  ProcessResult text = report({"--day", "2026-03-29"}, "Europe/Berlin");
  EXPECT_NE(text.out.find("2026-03-29 00:00:00 to 2026-03-30 00:00:00 (23h)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Europe/Berlin, CET +01:00 to CEST +02:00"), std::string::npos) << text.out;
}

TEST_F(ReportCommandTest, FailOnExitsThreeOnlyWhenANamedClassHasTasks) {
  add(LedgerTask(1, "2024-05-10T01:00:00.000Z").resolvedAt("2024-05-10T01:01:00.000Z"));
  add(LedgerTask(2, "2024-05-10T02:00:00.000Z").state("pending"));  // long stuck by now
  add(LedgerTask(3, "2024-05-11T02:00:00.000Z").state("failed").resolvedAt("2024-05-11T02:01:00.000Z"));

  ProcessResult clean = report({"--day", "2024-05-10", "--fail-on", "failed,rejected"});
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_EQ(clean.err, "");

  ProcessResult stuck = report({"--day", "2024-05-10", "--fail-on", "failed,stuck,rejected"});
  EXPECT_EQ(stuck.exit_code, 3) << stuck.err;
  EXPECT_NE(stuck.out.find("Stuck: unresolved for more than 30m (1)"), std::string::npos) << stuck.out;
  EXPECT_NE(stuck.err.find("--fail-on matched: 1 stuck"), std::string::npos) << stuck.err;

  ProcessResult failed = report({"--day", "2024-05-11", "--fail-on", "failed", "--format", "csv", "--quiet"});
  EXPECT_EQ(failed.exit_code, 3);
  EXPECT_EQ(failed.err, "");
  EXPECT_NE(failed.out.find("failed,00000000-0000-4000-8000-000000000003,"), std::string::npos) << failed.out;

  EXPECT_EQ(report({"--day", "2024-05-10", "--fail-on", "stuck", "--stuck-after", "1000d"}).exit_code, 0);
}

TEST_F(ReportCommandTest, AnEmptyWindowIsAQuietReportNotAnError) {
  ProcessResult r = report({"--day", "2024-01-01", "--format", "json", "--fail-on", "failed,stuck,rejected"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"totals\": {\"total\": 0, \"succeeded\": 0, \"failed\": 0, \"stuck\": 0, \"in_progress\": 0,"
                       " \"pending\": 0, \"rejected\": 0, \"expired\": 0},"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"by_region\": {},"), std::string::npos);
  EXPECT_NE(r.out.find("\"resolution_seconds\": {\"p50\": null, \"p90\": null, \"p99\": null, \"max\": null},"),
            std::string::npos);
  EXPECT_NE(r.out.find("\"failed\": [],\n  \"stuck\": [],\n  \"rejected\": [],\n  \"failure_reasons\": [],\n"),
            std::string::npos);
  EXPECT_NE(r.out.find("\"by_actor\": {},\n  \"without_actor\": 0,\n  \"parked_regions\": [],\n"
                       "  \"never_checked\": {\"total\": 0, \"by_region\": []},\n  \"previous\": null\n}\n"),
            std::string::npos) << r.out;
  for (const char* format : {"text", "csv", "markdown", "html"}) {
    ProcessResult f = report({"--day", "2024-01-01", "--format", format});
    EXPECT_EQ(f.exit_code, 0) << format << ": " << f.err;
    EXPECT_FALSE(f.out.empty()) << format;
  }
}

TEST_F(ReportCommandTest, OutputFileHoldsExactlyWhatStdoutWouldAndNoTemporaryIsLeft) {
  add(LedgerTask(1, "2024-05-10T01:00:00.000Z").state("failed"));
  const std::string out = dir_.file("report.html");
  std::ofstream(out) << "the previous report";
  ProcessResult written = report({"--day", "2024-05-10", "--format", "html", "--output", out});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  EXPECT_EQ(written.out, "");
  std::stringstream content;
  content << std::ifstream(out).rdbuf();
  // The two reports are generated a moment apart: compare all but the generation time.
  const std::regex generated("<tr><th>Generated</th><td>[^<]*</td></tr>");
  EXPECT_EQ(std::regex_replace(content.str(), generated, ""),
            std::regex_replace(report({"--day", "2024-05-10", "--format", "html"}).out, generated, ""));
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
  }
  ProcessResult into_dir = report({"--output", dir_.path().string()});
  EXPECT_EQ(into_dir.exit_code, 2);  // refused before any work (issue 14)
  EXPECT_NE(into_dir.err.find("--output: '" + dir_.path().string() + "' is a directory"), std::string::npos)
      << into_dir.err;
}

TEST_F(ReportCommandTest, BadFlagsAreUsageErrorsThatNameTheProblem) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const Case cases[] = {
      {{"--day", "2024-02-30"}, "--day: '2024-02-30' is not a date"},
      {{"--day", "2024-05-10", "--since", "2024-05-10"}, "not both"},
      {{"--until", "2024-05-10"}, "--until needs --since"},
      {{"--since", "2024-05-10", "--until", "2024-05-09"}, "--since must be before --until"},
      {{"--since", "noon"}, "--since: 'noon' is not a time"},
      {{"--format", "pdf"}, "--format: 'pdf'"},
      {{"--fail-on", "failed,lost"}, "'lost' is not a class"},
      {{"--stuck-after", "soon"}, "--stuck-after: 'soon' is not a duration"},
      {{"--table", "hours"}, "--table needs --format csv"},
      {{"--format", "json", "--table", "totals"}, "--table needs --format csv"},
      {{"--format", "csv", "--table", "days"}, "--table: 'days' is not tasks, failure_reasons"},
  };
  for (const Case& c : cases) {
    ProcessResult r = report(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.says;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
  }
  ProcessResult missing = runTaskledger({"report", "--db", dir_.file("typo.db")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no ledger at"), std::string::npos) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.file("typo.db")));
}

TEST_F(ReportCommandTest, SinceUntilAndFiltersSelectTheTasks) {
  add(LedgerTask(1, "2024-05-10T01:00:00.000Z").region("ap-guangzhou"));
  add(LedgerTask(2, "2024-05-10T02:00:00.000Z").region("ap-shanghai"));
  add(LedgerTask(3, "2024-05-10T03:00:00.000Z").region("ap-shanghai"));
  ProcessResult r = report({"--since", "2024-05-10T01:30", "--until", "2024-05-10T03:00", "--utc", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(totals(r.out).find("\"total\": 1,"), std::string::npos) << r.out;
  ProcessResult region = report({"--since", "2024-05-10T00:00Z", "--region", "ap-shanghai", "--format", "json"});
  EXPECT_NE(totals(region.out).find("\"total\": 2,"), std::string::npos) << region.out;
}

TEST_F(ReportCommandTest, ComparePreviousAddsTheDayBeforeAndTheChange) {
  add(LedgerTask(1, "2024-05-09T01:00:00.000Z").state("failed").resolvedAt("2024-05-09T01:01:00.000Z"));
  add(LedgerTask(2, "2024-05-10T01:00:00.000Z").state("failed").resolvedAt("2024-05-10T01:01:00.000Z"));
  add(LedgerTask(3, "2024-05-10T02:00:00.000Z").state("failed").resolvedAt("2024-05-10T02:01:00.000Z"));
  ProcessResult text = report({"--day", "2024-05-10", "--compare-previous"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("previous: 2024-05-09 00:00:00 to 2024-05-10 00:00:00"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("  failed           2  100.0%         1  +1 (+100%)\n"), std::string::npos) << text.out;
  ProcessResult json = report({"--day", "2024-05-10", "--compare-previous", "--format", "json"});
  EXPECT_NE(json.out.find("\"previous\": {\"window\": {\"since\": \"2024-05-09T00:00:00.000Z\", \"until\": "
                          "\"2024-05-10T00:00:00.000Z\"}"),
            std::string::npos) << json.out;
  EXPECT_NE(report({"--day", "2024-05-10", "--format", "json"}).out.find("\"previous\": null"), std::string::npos);
}

TEST_F(ReportCommandTest, CsvTableWritesTheNamedTableAndTasksStaysTheDefault) {
  add(LedgerTask(1, "2024-05-09T01:00:00.000Z").state("failed").resolvedAt("2024-05-09T01:01:00.000Z"));
  add(LedgerTask(2, "2024-05-10T01:00:00.000Z").state("failed").resolvedAt("2024-05-10T01:01:00.000Z"));
  add(LedgerTask(3, "2024-05-10T02:00:00.000Z").resolvedAt("2024-05-10T02:01:00.000Z"));
  const std::vector<std::string> day = {"--day", "2024-05-10", "--format", "csv"};
  const auto with = [&](std::vector<std::string> more) {
    more.insert(more.begin(), day.begin(), day.end());
    return report(more);
  };
  ProcessResult plain = with({});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(plain.out, with({"--table", "tasks"}).out);
  EXPECT_EQ(plain.out.rfind("class,request_id,", 0), 0u) << plain.out;

  ProcessResult totals = with({"--table", "totals", "--compare-previous"});
  ASSERT_EQ(totals.exit_code, 0) << totals.err;
  EXPECT_EQ(totals.out.rfind("class,tasks,previous,change\n", 0), 0u) << totals.out;
  EXPECT_NE(totals.out.find("\nsucceeded,1,0,1\n"), std::string::npos) << totals.out;
  EXPECT_NE(totals.out.find("\nfailed,1,1,0\n"), std::string::npos) << totals.out;
  EXPECT_NE(totals.out.find("\ntotal,2,1,1\n"), std::string::npos) << totals.out;

  ProcessResult hours = with({"--table", "hours"});
  ASSERT_EQ(hours.exit_code, 0) << hours.err;
  EXPECT_NE(hours.out.find("\n2024-05-10T01:00:00+00:00,2024-05-10T02:00:00+00:00,1,1,1\n"), std::string::npos) << hours.out;
}

TEST_F(ReportCommandTest, TextFitsEightyColumnsOffATerminalAndWidthOverridesIt) {
  for (int i = 0; i < 4; ++i) {
    add(LedgerTask(i, "2024-05-10T0" + std::to_string(i) + ":00:00.000Z")
            .region("ap-shanghai-fsi")
            .operation("DeregisterTargetsFromClassicalLB")
            .state("failed")
            .resolvedAt("2024-05-10T09:00:00.000Z")
            .actor("terraform-deployer@example.com")
            .message("The backend instance is not in the VPC of the load balancer; move it or pick another one."));
  }
  const auto widest = [](const std::string& doc) {
    std::size_t most = 0;
    std::istringstream in(doc);
    for (std::string line; std::getline(in, line);) most = std::max(most, line.size());
    return most;
  };
  ProcessResult piped = report({"--day", "2024-05-10"});  // stdout is a pipe here, as in cron
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_LE(widest(piped.out), 80u) << piped.out;
  ProcessResult narrow = report({"--day", "2024-05-10", "--width", "50"});
  EXPECT_LE(widest(narrow.out), 50u) << narrow.out;
  ProcessResult unwrapped = report({"--day", "2024-05-10", "--width", "0"});
  EXPECT_GT(widest(unwrapped.out), 120u) << unwrapped.out;

  ProcessResult negative = report({"--width", "-3"});
  EXPECT_EQ(negative.exit_code, 2);
  EXPECT_NE(negative.err.find("--width"), std::string::npos) << negative.err;
}

TEST_F(ReportCommandTest, BomStartsTheCsvForSpreadsheetsAndNeedsCsv) {
  add(LedgerTask(1, "2024-05-10T01:00:00.000Z").state("failed").resolvedAt("2024-05-10T01:01:00.000Z"));
  ProcessResult bom = report({"--day", "2024-05-10", "--format", "csv", "--bom"});
  ASSERT_EQ(bom.exit_code, 0) << bom.err;
  EXPECT_EQ(bom.out.rfind("\xEF\xBB\xBF" "class,request_id,", 0), 0u) << bom.out;
  EXPECT_EQ(report({"--day", "2024-05-10", "--format", "csv"}).out.rfind("class,request_id,", 0), 0u);
  ProcessResult wrong = report({"--bom"});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("--bom needs --format csv"), std::string::npos) << wrong.err;
}

TEST_F(ReportCommandTest, HelpShowsAnExample) {
  ProcessResult r = runTaskledger({"report", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Example:"), std::string::npos);
  EXPECT_NE(r.out.find("--fail-on"), std::string::npos);
}

}  // namespace
}  // namespace taskledger
