// The local endpoint's DescribeEvents rules, on a small trail of events at known times: the
// service's span and lookback refusals, MaxResults, the filters, paging and the visibility delay.
#include "../../src/mock/AuditTrail.h"

#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace taskledger::mock {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;
constexpr std::int64_t kDay = 86400;

// n events, event i at kNow - 100 * i; odd ones are Read, every third is cvm.
AuditTrail trail(int n) {
  std::string json = "[";
  for (int i = 0; i < n; ++i) {
    json += (i ? "," : "");
    json += R"({"EventId":"e)" + std::to_string(i) + R"(","EventName":")" + (i == 4 ? "CreateRule" : "CreateListener") +
            R"(","EventTime":")" + std::to_string(kNow - 100 * i) + R"(","RequestID":"id-)" + std::to_string(i) +
            R"(","Resources":{"ResourceType":")" + (i % 3 == 0 ? "cvm" : "clb") +
            R"(","ResourceName":"lb-1"},"CloudAuditEvent":"{\"actionType\":\")" + (i % 2 ? "Read" : "Write") +
            R"(\"}"})";
  }
  return AuditTrail::fromJson(json + "]", "test");
}

std::string query(std::int64_t start, std::int64_t end, const std::string& extra = "") {
  return R"({"StartTime":)" + std::to_string(start) + R"(,"EndTime":)" + std::to_string(end) + extra + "}";
}

std::vector<std::string> ids(const AuditReply& r) {
  std::vector<std::string> out;
  auto arr = Poco::JSON::Parser().parse(r.events_json).extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; i < arr->size(); ++i) out.push_back(arr->getObject(static_cast<unsigned>(i))->getValue<std::string>("RequestID"));
  return out;
}

TEST(AuditTrail, RefusesWhatTheServiceRefuses) {
  auto t = trail(3);
  EXPECT_EQ(t.describe("{}", kNow, Millis(0)).error_code, "MissingParameter");
  EXPECT_EQ(t.describe("not json", kNow, Millis(0)).error_code, "InvalidParameter");
  EXPECT_EQ(t.describe(query(kNow, kNow - 1), kNow, Millis(0)).error_code, "InvalidParameterValue.Time");
  // A span must be *less* than 30 days (issue 21: the client asked exactly 30 and the mock agreed).
  EXPECT_EQ(t.describe(query(kNow - 30 * kDay, kNow), kNow, Millis(0)).error_code, "InvalidParameterValue.Time");
  EXPECT_EQ(t.describe(query(kNow - 30 * kDay + 1, kNow), kNow, Millis(0)).error_code, "");
  EXPECT_EQ(t.describe(query(kNow - 90 * kDay - 1, kNow - 80 * kDay), kNow, Millis(0)).error_code,
            "InvalidParameterValue.Time");
  EXPECT_EQ(t.describe(query(kNow - 90 * kDay, kNow - 80 * kDay), kNow, Millis(0)).error_code, "");
  EXPECT_EQ(t.describe(query(kNow - 60, kNow, R"(,"MaxResults":51)"), kNow, Millis(0)).error_code,
            "InvalidParameterValue.MaxResult");
  EXPECT_EQ(t.describe(query(kNow - 60, kNow, R"(,"LookupAttributes":[{"AttributeKey":"Colour","AttributeValue":"x"}])"),
                       kNow, Millis(0))
                .error_code,
            "InvalidParameterValue.AttributeKey");
}

// Tests script what a hostile service sends (issue 20): the scripted text is served verbatim, and
// the event's own fields still decide whether it is in the window.
TEST(AuditTrail, AnEventWithMockServedAsIsServedAsThatTextVerbatim) {
  const std::string raw = R"({"RequestID":"id-raw","EventTime":"abc","Username":"\ud800"})";
  Poco::JSON::Object event;
  event.set("RequestID", "id-0");
  event.set("EventTime", std::to_string(kNow - 10));
  event.set("MockServedAs", raw);
  std::ostringstream json;
  event.stringify(json);
  auto t = AuditTrail::fromJson("[" + json.str() + "]", "test");
  EXPECT_EQ(t.describe(query(kNow - 60, kNow), kNow, Millis(0)).events_json, "[" + raw + "]");
  EXPECT_EQ(t.describe(query(kNow - 120, kNow - 60), kNow, Millis(0)).events_json, "[]");
}

TEST(AuditTrail, FiltersAreAndBetweenKeysAndOrWithinOne) {
  auto t = trail(10);
  auto clb_writes = t.describe(query(kNow - 3600, kNow,
                                     R"(,"MaxResults":50,"LookupAttributes":[{"AttributeKey":"ResourceType","AttributeValue":"clb"},)"
                                     R"({"AttributeKey":"ActionType","AttributeValue":"Write"}])"),
                               kNow, Millis(0));
  EXPECT_EQ(ids(clb_writes), (std::vector<std::string>{"id-2", "id-4", "id-8"}));
  auto names = t.describe(query(kNow - 3600, kNow,
                                R"(,"MaxResults":50,"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"CreateRule"},)"
                                R"({"AttributeKey":"EventName","AttributeValue":"CreateListener"}])"),
                          kNow, Millis(0));
  EXPECT_EQ(ids(names).size(), 10u);
}

TEST(AuditTrail, PagesNewestFirstUntilListOver) {
  auto t = trail(7);
  std::vector<std::string> all;
  std::string extra = R"(,"MaxResults":3)";
  std::vector<std::int64_t> tokens;
  for (int pages = 1;; ++pages) {
    auto r = t.describe(query(kNow - 3600, kNow, extra), kNow, Millis(0));
    ASSERT_EQ(r.error_code, "");
    auto page = ids(r);
    all.insert(all.end(), page.begin(), page.end());
    if (r.list_over) {
      EXPECT_EQ(pages, 3);
      break;
    }
    ASSERT_TRUE(r.next_token);
    tokens.push_back(*r.next_token);
    extra = R"(,"MaxResults":3,"NextToken":)" + std::to_string(*r.next_token);
  }
  EXPECT_EQ(all, (std::vector<std::string>{"id-0", "id-1", "id-2", "id-3", "id-4", "id-5", "id-6"}));
  // Tokens look like times, as the documented 16805138109322956, and fall from page to page.
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_GT(tokens[0], 1'000'000'000'000'000LL);
  EXPECT_LT(tokens[1], tokens[0]);
}

TEST(AuditTrail, AnEventIsVisibleOnlyTheDelayAfterItsTime) {
  auto t = trail(7);  // times kNow, kNow-100, ..., kNow-600
  auto r = t.describe(query(kNow - 3600, kNow, R"(,"MaxResults":50)"), kNow, Millis(250'000));
  EXPECT_EQ(ids(r), (std::vector<std::string>{"id-3", "id-4", "id-5", "id-6"}));
}

}  // namespace
}  // namespace taskledger::mock
