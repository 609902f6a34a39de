// What needs a person, first and grouped (issue 22): the headline with its change, reasons with
// ids normalised, stuck tasks by region and age with the parking reason, a window that reaches
// past now compared with the same span, no slice after the report, text that fits its width,
// and the JSON and CSV details scripts rely on.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <sstream>

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
using testing::requestId;

class AttentionTest : public ::testing::Test {
 protected:
  AttentionTest() : db_(dir_.file("ledger.db")) {}

  Summary day(const std::string& now, bool compare = false) {
    ReportRequest r;
    r.window = *dayWindow("2026-03-10", true);
    r.utc = true;
    if (compare) r.previous = previousWindow(r.window, true);
    return summarize(db_, r, at(now));
  }

  void rejected(int n, const std::string& region) {
    insertTask(db_, LedgerTask(n, "2026-03-10T0" + std::to_string(n % 10) + ":00:00.000Z")
                        .region(region)
                        .state("rejected")
                        .lastErrorCode("InvalidParameter")
                        .lastErrorMessage("The TaskId " + requestId(n) + " was not found in region " + region + "."));
  }

  static Poco::JSON::Object::Ptr json(const Summary& s) {
    return Poco::JSON::Parser().parse(render(s, Format::Json)).extract<Poco::JSON::Object::Ptr>();
  }

  testing::TempDir dir_;
  store::Database db_;
};

TEST_F(AttentionTest, OneSentenceWithDifferentIdsAndRegionsIsOneReason) {
  rejected(1, "ap-guangzhou");
  rejected(2, "ap-guangzhou");
  rejected(3, "ap-beijing");
  rejected(4, "ap-shanghai");
  rejected(5, "ap-shanghai");
  insertTask(db_, LedgerTask(6, "2026-03-10T06:00:00.000Z").state("failed").message("port 8080 in use").actor("alice"));
  insertTask(db_, LedgerTask(7, "2026-03-10T07:00:00.000Z").state("failed").message("port 9090 in use"));
  const Summary s = day("2026-03-10T12:00:00Z");
  ASSERT_EQ(s.failure_reasons.size(), 2u);
  const ReasonGroup& r = s.failure_reasons[0];
  EXPECT_EQ(r.count, 5);
  EXPECT_EQ(r.error_code, "InvalidParameter");
  // Not one task's message quoted for all five: the sentence they share.
  EXPECT_EQ(r.message, "The TaskId <id> was not found in region <region>.");
  EXPECT_EQ(r.regions, (std::vector<std::string>{"ap-beijing", "ap-guangzhou", "ap-shanghai"}));
  EXPECT_EQ(r.example_request_ids, (std::vector<std::string>{requestId(1), requestId(2), requestId(3)}));
  const ReasonGroup& f = s.failure_reasons[1];
  EXPECT_EQ(f.count, 2);
  EXPECT_EQ(f.message, "port <n> in use");
  EXPECT_EQ(f.actors, (std::vector<std::string>{"", "alice"}));

  for (Format format : {Format::Text, Format::Markdown, Format::Html}) {
    const std::string doc = render(s, format);
    const auto from = doc.find("Failure reasons (2 reasons)");
    ASSERT_NE(from, std::string::npos) << doc;
    const std::string reasons = doc.substr(from, doc.find("Stuck by region") - from);
    EXPECT_NE(reasons.find("was not found in region"), std::string::npos) << reasons;
    EXPECT_EQ(reasons.find("The TaskId " + requestId(1) + " was not found"), std::string::npos)
        << "a task's own message quoted as the group's: " << reasons;
  }
  const auto reasons = json(s)->getArray("failure_reasons");
  EXPECT_EQ(reasons->getObject(0)->getValue<int>("count"), 5);
  EXPECT_EQ(reasons->getObject(0)->getArray("example_request_ids")->size(), 3u);
  EXPECT_EQ(reasons->getObject(1)->getArray("actors")->getElement<std::string>(1), "alice");
}

TEST_F(AttentionTest, StuckAndNeverCheckedTasksOfAParkedRegionCarryTheParkingReason) {
  insertTask(db_, LedgerTask(1, "2026-03-10T01:00:00.000Z").region("ap-jakarta").state("pending").attempts(0));
  insertTask(db_, LedgerTask(2, "2026-03-10T01:30:00.000Z").region("ap-jakarta").state("pending").attempts(0));
  insertTask(db_, LedgerTask(3, "2026-03-10T11:45:00.000Z").region("ap-jakarta").state("pending").attempts(0));
  insertTask(db_, LedgerTask(4, "2026-03-10T02:00:00.000Z").state("in_progress").attempts(3));
  const auto run = insertRun(db_, "2026-03-10T11:50:00Z", "2026-03-10T11:51:00Z");
  insertParked(db_, run, "ap-jakarta", "UnsupportedRegion", "2026-03-10T11:50:01.000Z", "The region is not supported.");
  const Summary s = day("2026-03-10T12:00:00Z");

  ASSERT_EQ(s.stuck_groups.size(), 2u);
  // Largest first: the two of ap-jakarta between 6 hours and a day old.
  EXPECT_EQ(s.stuck_groups[0].region, "ap-jakarta");
  EXPECT_EQ(s.stuck_groups[0].age_band, "6h to 1d");
  EXPECT_EQ(s.stuck_groups[0].count, 2);
  EXPECT_EQ(s.stuck_groups[0].never_checked, 2);
  EXPECT_EQ(s.stuck_groups[0].oldest, std::chrono::hours(11));
  ASSERT_TRUE(s.stuck_groups[0].parked);
  EXPECT_EQ(s.stuck_groups[0].parked->code, "UnsupportedRegion");
  const auto guangzhou = std::find_if(s.stuck_groups.begin(), s.stuck_groups.end(),
                                      [](const StuckGroup& g) { return g.region == "ap-guangzhou"; });
  ASSERT_NE(guangzhou, s.stuck_groups.end());
  EXPECT_FALSE(guangzhou->parked);

  ASSERT_EQ(s.never_checked.size(), 1u);
  ASSERT_TRUE(s.never_checked[0].parked);
  EXPECT_EQ(s.never_checked[0].parked->message, "The region is not supported.");

  const std::string text = render(s, Format::Text);
  const auto never = text.find("Never checked (3 tasks)");
  ASSERT_NE(never, std::string::npos) << text;
  EXPECT_NE(text.find("UnsupportedRegion: The region is", never), std::string::npos) << text.substr(never);
  EXPECT_NE(text.find("Stuck by region and age (3 tasks)"), std::string::npos) << text;
  const auto root = json(s);
  EXPECT_EQ(root->getObject("never_checked")->getArray("by_region")->getObject(0)->getObject("parked")->getValue<std::string>("code"),
            "UnsupportedRegion");
  EXPECT_EQ(root->getArray("stuck_groups")->getObject(0)->getValue<std::string>("age_band"), "6h to 1d");
  EXPECT_TRUE(root->getArray("stuck_groups")->getObject(1)->isNull("parked"));
}

TEST_F(AttentionTest, TheHeadlineComesFirstWithTheChangeAndLinksToItsSections) {
  insertTask(db_, LedgerTask(1, "2026-03-09T01:00:00.000Z").state("failed").resolvedAt("2026-03-09T01:01:00.000Z"));
  insertTask(db_, LedgerTask(2, "2026-03-10T01:00:00.000Z").state("failed").resolvedAt("2026-03-10T01:01:00.000Z"));
  insertTask(db_, LedgerTask(3, "2026-03-10T02:00:00.000Z").state("failed").resolvedAt("2026-03-10T02:01:00.000Z"));
  insertTask(db_, LedgerTask(4, "2026-03-10T03:00:00.000Z").state("pending").attempts(0));
  insertRun(db_, "2026-03-10T11:50:00Z", "2026-03-10T11:51:00Z");
  const Summary s = day("2026-03-11T06:00:00Z", true);
  const auto items = headline(s);
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0].key, "failed");
  EXPECT_EQ(items[0].count, 2);
  EXPECT_EQ(items[0].previous, 1);
  EXPECT_EQ(items[1].key, "stuck");
  EXPECT_EQ(items[3].key, "never_checked");
  EXPECT_EQ(items[3].count, 1);

  const std::string text = render(s, Format::Text);
  const auto attention = text.find("Needs attention\n  failed          2  +1 (+100%)\n  stuck           1  +1 (new)\n");
  ASSERT_NE(attention, std::string::npos) << text;
  EXPECT_LT(attention, text.find("Failure reasons"));
  const std::string html = render(s, Format::Html);
  const auto tiles = html.find("<nav class=\"tiles\"");
  ASSERT_NE(tiles, std::string::npos);
  EXPECT_LT(tiles, html.find("<table"));  // before any table: the first screen
  EXPECT_NE(html.find("<a class=\"tile failed\" href=\"#failed\"><b>2</b>failed<small>+1 (+100%)</small></a>"),
            std::string::npos) << html.substr(tiles, 800);
  EXPECT_NE(html.find("<a class=\"tile ok\" href=\"#rejected\"><b>0</b>rejected"), std::string::npos);
  EXPECT_NE(html.find("<section id=\"never-checked\">"), std::string::npos);
  // The day before stands beside today in the chart: its 01:00 had one task.
  EXPECT_NE(html.find("title=\"01:00Z: 1 submitted, 1 resolved, 1 failed; previous window 1 submitted\""),
            std::string::npos);
  EXPECT_NE(html.find("<i class=\"c-previous\""), std::string::npos);
  const std::string md = render(s, Format::Markdown);
  EXPECT_NE(md.find("## Needs attention\n\n- **2 failed**, +1 (+100%)\n"), std::string::npos) << md;
  const auto first = json(s)->getObject("headline")->getArray("items")->getObject(0);
  EXPECT_EQ(first->getValue<int>("count"), 2);
  EXPECT_EQ(first->getValue<int>("previous"), 1);
  EXPECT_EQ(first->getValue<int>("change"), 1);
}

TEST_F(AttentionTest, EveryHeadlineCountShowsItsChangeUnaskedCountedAsTheFullComparisonCountsIt) {
  // The day before: 1 failed, 2 rejected, 2 stuck (one never asked), and one region parked by
  // two runs with two codes (one region to look at).
  insertTask(db_, LedgerTask(1, "2026-03-09T01:00:00.000Z").state("failed").resolvedAt("2026-03-09T01:01:00.000Z"));
  insertTask(db_, LedgerTask(2, "2026-03-09T02:00:00.000Z").state("rejected"));
  insertTask(db_, LedgerTask(3, "2026-03-09T03:00:00.000Z").state("rejected"));
  insertTask(db_, LedgerTask(4, "2026-03-09T04:00:00.000Z").state("pending").attempts(0));
  insertTask(db_, LedgerTask(5, "2026-03-09T05:00:00.000Z").state("in_progress").attempts(3));
  insertTask(db_, LedgerTask(6, "2026-03-09T06:00:00.000Z").resolvedAt("2026-03-09T06:01:00.000Z"));
  const auto run1 = insertRun(db_, "2026-03-09T11:50:00Z", "2026-03-09T11:51:00Z");
  const auto run2 = insertRun(db_, "2026-03-09T12:50:00Z", "2026-03-09T12:51:00Z");
  insertParked(db_, run1, "ap-jakarta", "UnsupportedRegion", "2026-03-09T11:50:01.000Z");
  insertParked(db_, run2, "ap-jakarta", "AuthFailure.UnauthorizedOperation", "2026-03-09T12:50:01.000Z");
  // The day itself: 3 failed, nothing else that needs anyone.
  for (int i = 10; i < 13; ++i) {
    insertTask(db_, LedgerTask(i, "2026-03-10T0" + std::to_string(i - 9) + ":00:00.000Z")
                        .state("failed")
                        .resolvedAt("2026-03-10T09:00:00.000Z"));
  }
  insertRun(db_, "2026-03-10T11:50:00Z", "2026-03-10T11:51:00Z");

  const Summary s = day("2026-03-11T06:00:00Z");  // no --compare-previous
  EXPECT_FALSE(s.previous);
  ASSERT_TRUE(s.before);
  EXPECT_EQ(s.before->window.since, at("2026-03-09T00:00:00Z"));
  EXPECT_EQ(s.before->window.until, at("2026-03-10T00:00:00Z"));
  std::vector<std::pair<std::string, std::int64_t>> changes;
  for (const HeadlineItem& i : headline(s)) changes.emplace_back(i.key, i.count - i.previous.value_or(-1000));
  EXPECT_EQ(changes, (std::vector<std::pair<std::string, std::int64_t>>{
                         {"failed", 2}, {"stuck", -2}, {"rejected", -2}, {"never_checked", -1}, {"parked_regions", -1}}));

  // The one-pass count agrees with the full comparison and with a report of that day itself.
  const auto same = [](const HeadlineCounts& a, const HeadlineCounts& b) {
    return std::tie(a.failed, a.stuck, a.rejected, a.never_checked, a.parked_regions) ==
           std::tie(b.failed, b.stuck, b.rejected, b.never_checked, b.parked_regions);
  };
  const Summary full = day("2026-03-11T06:00:00Z", true);
  ASSERT_TRUE(full.previous && full.before);
  EXPECT_TRUE(same(full.before->counts, s.before->counts));
  ReportRequest before_day;
  before_day.window = s.before->window;
  before_day.utc = true;
  EXPECT_TRUE(same(headlineCounts(summarize(db_, before_day, at("2026-03-11T06:00:00Z"))), s.before->counts));

  const std::string text = render(s, Format::Text);
  EXPECT_NE(text.find("  failed          3  +2 (+200%)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("(changes against 2026-03-09"), std::string::npos) << text;
  EXPECT_NE(render(s, Format::Html).find("<b>3</b>failed<small>+2 (+200%)</small>"), std::string::npos);
  const auto headline_json = json(s)->getObject("headline");
  EXPECT_EQ(headline_json->getObject("compared_with")->getValue<std::string>("since"), "2026-03-09T00:00:00.000Z");
  EXPECT_EQ(headline_json->getArray("items")->getObject(4)->getValue<int>("previous"), 1);
}

TEST_F(AttentionTest, TodaysHeadlineChangesCountOnlyTheSameSpanOfYesterday) {
  insertTask(db_, LedgerTask(1, "2026-03-09T01:00:00.000Z").state("failed").resolvedAt("2026-03-09T01:01:00.000Z"));
  insertTask(db_, LedgerTask(2, "2026-03-09T08:00:00.000Z").state("failed").resolvedAt("2026-03-09T08:01:00.000Z"));
  insertTask(db_, LedgerTask(3, "2026-03-10T02:00:00.000Z").state("failed").resolvedAt("2026-03-10T02:01:00.000Z"));
  insertRun(db_, "2026-03-10T05:50:00Z", "2026-03-10T05:51:00Z");
  const Summary s = day("2026-03-10T06:00:00Z");  // today, at 06:00
  ASSERT_TRUE(s.partial && s.before);
  EXPECT_EQ(s.before->window.until, at("2026-03-09T06:00:00Z"));
  EXPECT_EQ(headline(s)[0].previous, 1) << "yesterday's 08:00 failure had not happened by this time of day";
  EXPECT_NE(render(s, Format::Text).find("(partial: up to 2026-03-10"), std::string::npos);
}

TEST_F(AttentionTest, AQuietDaySaysSoInOneLine) {
  insertTask(db_, LedgerTask(1, "2026-03-10T01:00:00.000Z").resolvedAt("2026-03-10T01:01:00.000Z"));
  insertRun(db_, "2026-03-10T11:50:00Z", "2026-03-10T11:51:00Z");
  const Summary s = day("2026-03-11T06:00:00Z");
  EXPECT_TRUE(quiet(s));
  const std::string line = "A quiet window: nothing failed, stuck, rejected or unchecked (1 task).";
  EXPECT_NE(render(s, Format::Text).find("\n" + line + "\n"), std::string::npos) << render(s, Format::Text);
  EXPECT_EQ(render(s, Format::Text).find("Needs attention"), std::string::npos);
  EXPECT_NE(render(s, Format::Html).find("<p class=\"quiet\" id=\"headline\">" + line + "</p>"), std::string::npos);
  EXPECT_TRUE(json(s)->getObject("headline")->getValue<bool>("quiet"));
}

TEST_F(AttentionTest, NoSliceStartsAfterTheReportWasMade) {
  insertTask(db_, LedgerTask(1, "2026-03-10T01:00:00.000Z").resolvedAt("2026-03-10T01:01:00.000Z"));
  const Summary s = day("2026-03-10T05:30:00Z");
  ASSERT_EQ(s.over_time.size(), 6u);  // 00:00 to 05:00: the hours after have not happened
  EXPECT_EQ(s.over_time.back().from, at("2026-03-10T05:00:00Z"));
  const auto buckets = json(s)->getObject("over_time")->getArray("buckets");
  EXPECT_EQ(buckets->size(), 6u);
  EXPECT_EQ(buckets->getObject(5)->getValue<std::string>("from"), "2026-03-10T05:00:00.000Z");
  EXPECT_EQ(render(s, Format::Html).find("06:00Z"), std::string::npos);

  const Summary ahead = day("2026-03-09T23:00:00Z");  // a day that has not begun
  EXPECT_TRUE(ahead.over_time.empty());
  EXPECT_NE(render(ahead, Format::Text).find("Hour by hour\n  the window had not begun when the report was made\n"),
            std::string::npos) << render(ahead, Format::Text);
}

TEST_F(AttentionTest, TextFitsTheWidthAskedFor) {
  for (int i = 0; i < 6; ++i) {
    insertTask(db_, LedgerTask(i, "2026-03-10T0" + std::to_string(i) + ":00:00.000Z")
                        .region(i % 2 ? "ap-shanghai-fsi" : "na-siliconvalley")
                        .operation("DeregisterTargetsFromClassicalLB")
                        .resource("lb-" + std::to_string(1000000 + i))
                        .state("failed")
                        .resolvedAt("2026-03-10T09:00:00.000Z")
                        .actor("terraform-deployer@example.com")
                        .message("The backend instance ins-" + std::to_string(i) +
                                 " is not in the VPC of the load balancer; move it or pick another backend and retry."));
  }
  const Summary s = day("2026-03-11T06:00:00Z");
  const auto widest = [](const std::string& doc) {
    std::size_t most = 0;
    std::istringstream in(doc);
    for (std::string line; std::getline(in, line);) most = std::max(most, line.size());
    return most;
  };
  for (int width : {80, 60, 120}) {
    RenderOptions o;
    o.width = width;
    const std::string text = render(s, Format::Text, o);
    EXPECT_LE(widest(text), static_cast<std::size_t>(width)) << text;
    // Wrapped, not cut: the whole message is there, its lines indented under the first.
    std::size_t whole = 0;
    for (auto at = text.find("retry."); at != std::string::npos; at = text.find("retry.", at + 1)) ++whole;
    EXPECT_EQ(whole, 7u) << "the reason and the six tasks, each message to its end: " << text;
  }
  RenderOptions unwrapped;
  unwrapped.width = 0;
  EXPECT_GT(widest(render(s, Format::Text, unwrapped)), 120u);
}

TEST_F(AttentionTest, JsonCarriesTheSettingsTheStateOfStuckTasksAndNullForAbsentValues) {
  insertTask(db_, LedgerTask(1, "2026-03-10T01:00:00.000Z").state("in_progress").attempts(2));
  ReportRequest r;
  r.window = *dayWindow("2026-03-10", true);
  r.utc = true;
  r.stuck_after = std::chrono::minutes(45);
  r.filters.region = "ap-guangzhou";
  const auto root = json(summarize(db_, r, at("2026-03-11T06:00:00Z")));
  const auto settings = root->getObject("settings");
  EXPECT_EQ(settings->getValue<int>("stuck_after_seconds"), 2700);
  EXPECT_EQ(settings->getObject("filters")->getValue<std::string>("region"), "ap-guangzhou");
  EXPECT_TRUE(settings->getObject("filters")->isNull("profile"));
  const auto stuck = root->getArray("stuck")->getObject(0);
  EXPECT_EQ(stuck->getValue<std::string>("state"), "in_progress");
  for (const char* absent : {"resource", "message", "last_error_code", "actor", "source_ip", "resolved_at"}) {
    EXPECT_TRUE(stuck->isNull(absent)) << absent;
  }
  EXPECT_FALSE(root->getValue<bool>("partial"));
}

}  // namespace
}  // namespace taskledger::report
