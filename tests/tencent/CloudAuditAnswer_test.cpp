// Reading DescribeEvents answers: the event with its CloudAuditEvent string unpacked, the load
// balancer from the call's parameters, paging fields, errors and bodies that are not answers.
#include "taskledger/tencent/CloudAuditAnswer.h"

#include <gtest/gtest.h>

#include "taskledger/domain/Error.h"
#include "taskledger/tencent/CloudAuditClient.h"
#include "taskledger/tencent/CredentialProvider.h"

namespace taskledger::tencent {
namespace {

std::string answer(const std::string& request_parameters, const std::string& paging = R"("ListOver":true)") {
  // CloudAuditEvent is a JSON string, and requestParameters a JSON string inside it.
  const std::string detail =
      R"({\"apiVersion\":\"3.0\",\"actionType\":\"Write\",\"apiErrorCode\":\"\",\"userIdentity\":{\"principalId\":\"100001\",\"userName\":\"alice\"},\"requestParameters\":\")" +
      request_parameters + R"(\"})";
  return R"({"Response":{"Events":[{"EventId":"e1","EventName":"CreateListener","EventTime":"1800000000",)"
         R"("EventRegion":"ap-guangzhou","RequestID":"55c85074-3e7f-4c6d-864f-673660d4f8de","Username":"root",)"
         R"("SourceIPAddress":"10.1.2.3","ErrorCode":0,"Resources":{"ResourceType":"clb","ResourceName":"lb-res"},)"
         R"("CloudAuditEvent":")" + detail + R"("}],)" + paging + R"(,"RequestId":"r-1"}})";
}

TEST(CloudAuditAnswer, ReadsTheEventAndWhatItsCloudAuditEventSays) {
  auto a = parseDescribeEventsAnswer(answer(R"({\\\"LoadBalancerId\\\":\\\"lb-one\\\"})"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_EQ(a.page().events.size(), 1u);
  const AuditEvent& e = a.page().events[0];
  EXPECT_EQ(e.event_name, "CreateListener");
  EXPECT_EQ(e.event_time, 1'800'000'000);
  EXPECT_EQ(e.event_region, "ap-guangzhou");
  EXPECT_EQ(e.request_id, "55c85074-3e7f-4c6d-864f-673660d4f8de");
  EXPECT_EQ(e.error_code, "0");
  EXPECT_EQ(e.resource_type, "clb");
  EXPECT_EQ(e.resource_name, "lb-res");
  EXPECT_EQ(e.api_version, "3.0");
  EXPECT_EQ(e.action_type, "Write");
  EXPECT_EQ(e.user_name, "alice");
  EXPECT_EQ(e.principal_id, "100001");
  EXPECT_EQ(e.source_ip, "10.1.2.3");
  EXPECT_EQ(e.load_balancer_id, "lb-one");
  EXPECT_TRUE(a.page().list_over);
}

TEST(CloudAuditAnswer, TheFirstOfLoadBalancerIdsOrNone) {
  auto list = parseDescribeEventsAnswer(answer(R"({\\\"LoadBalancerIds\\\":[\\\"lb-a\\\",\\\"lb-b\\\"]})"));
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list.page().events[0].load_balancer_id, "lb-a");
  auto none = parseDescribeEventsAnswer(answer("{}"));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none.page().events[0].load_balancer_id, "");
}

TEST(CloudAuditAnswer, PagingFields) {
  auto a = parseDescribeEventsAnswer(answer("{}", R"("ListOver":false,"NextToken":150)"));
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a.page().list_over);
  ASSERT_TRUE(a.page().next_token.has_value());
  EXPECT_EQ(*a.page().next_token, (AuditToken{"150", true}));
  // Opaque: a time-like number keeps every digit, a string stays a string.
  auto big = parseDescribeEventsAnswer(answer("{}", R"("ListOver":false,"NextToken":16805138109322956)"));
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(*big.page().next_token, (AuditToken{"16805138109322956", true}));
  auto text = parseDescribeEventsAnswer(answer("{}", R"("ListOver":false,"NextToken":"eyJvIjo1MH0=")"));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text.page().next_token, (AuditToken{"eyJvIjo1MH0=", false}));
}

TEST(CloudAuditAnswer, ErrorsAreClassifiedAndOddBodiesAreBadResponses) {
  auto e = parseDescribeEventsAnswer(
      R"({"Response":{"Error":{"Code":"InvalidParameterValue.Time","Message":"too long"},"RequestId":"r"}})");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, "InvalidParameterValue.Time");
  EXPECT_EQ(e.error().api_request_id, "r");
  for (const std::string body : {"", "<html>", "[]", R"({"Response":{"Events":[]}})",
                                 R"({"Response":{"Events":{},"RequestId":"r"}})"}) {
    auto b = parseDescribeEventsAnswer(body);
    ASSERT_FALSE(b.ok()) << body;
    EXPECT_EQ(b.error().code, "BadResponse") << body;
  }
}

// Issue 20: one event with a lone "\ud800" failed its whole page as "not JSON", on every run, and
// the window never advanced. Now that one field holds U+FFFD and the page is read.
TEST(CloudAuditAnswer, ALoneSurrogateOrInvalidUtf8MakesOneFieldReplacementCharacterNotThePageUnreadable) {
  std::string body = answer("{}");
  body.replace(body.find(R"("Username":"root")"), 17, R"("Username":"ro\ud800ot")");
  body.replace(body.find("10.1.2.3"), 8, "10.1.\xff.3");
  auto a = parseDescribeEventsAnswer(body);
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_EQ(a.page().events.size(), 1u);
  EXPECT_EQ(a.page().events[0].source_ip, "10.1.\uFFFD.3");
  EXPECT_EQ(a.page().events[0].request_id, "55c85074-3e7f-4c6d-864f-673660d4f8de");
  EXPECT_EQ(a.page().events[0].api_version, "3.0");
}

TEST(CloudAuditAnswer, ALoneSurrogateInsideTheCloudAuditEventStringSpoilsOnlyItsField) {
  std::string body = answer("{}");
  // Inside the CloudAuditEvent string the escape is itself escaped: "\\ud800" there is "\ud800" once unpacked.
  body.replace(body.find("alice"), 5, R"(al\\udfffice)");
  auto a = parseDescribeEventsAnswer(body);
  ASSERT_TRUE(a.ok()) << a.error().message;
  const AuditEvent& e = a.page().events[0];
  EXPECT_EQ(e.user_name, "al\uFFFDice");
  EXPECT_EQ(e.action_type, "Write");
}

// "abc", "-1" and "1800000000abc" were read as 0, -1 and 1800000000; only a whole number is a time.
TEST(CloudAuditAnswer, AnEventTimeThatIsNotAWholeNumberReadsAsZero) {
  for (const auto& [given, read] : std::vector<std::pair<std::string, std::int64_t>>{
           {"abc", 0}, {"1800000000abc", 0}, {"1.8e9", 0}, {"", 0}, {"-1", -1}, {"1800000000000", 1'800'000'000'000}}) {
    std::string body = answer("{}");
    body.replace(body.find("1800000000"), 10, given);
    auto a = parseDescribeEventsAnswer(body);
    ASSERT_TRUE(a.ok()) << given;
    EXPECT_EQ(a.page().events[0].event_time, read) << given;
  }
}

TEST(CloudAuditClient, RequestBodyCarriesTheWindowFiltersAndToken) {
  AuditQuery q;
  q.start_time = 100;
  q.end_time = 200;
  q.lookups = {{"ResourceType", "clb"}, {"ActionType", "Write"}};
  q.next_token = AuditToken{"16805138109322956", true};
  EXPECT_EQ(CloudAuditClient::requestBody(q),
            R"({"StartTime":100,"EndTime":200,"MaxResults":50,"LookupAttributes":[{"AttributeKey":"ResourceType",)"
            R"("AttributeValue":"clb"},{"AttributeKey":"ActionType","AttributeValue":"Write"}],"NextToken":16805138109322956})");
  q.lookups.clear();
  q.next_token = AuditToken{"eyJvIjo1MH0=", false};
  EXPECT_EQ(CloudAuditClient::requestBody(q),
            R"({"StartTime":100,"EndTime":200,"MaxResults":50,"LookupAttributes":[],"NextToken":"eyJvIjo1MH0="})");
}

}  // namespace
}  // namespace taskledger::tencent

namespace taskledger::tencent {
namespace {

// Issue 21: DescribeEvents requires Region; the international site serves only some regions.
TEST(CloudAuditClient, TheAuditRegionIsARegionTheSiteServes) {
  StaticCredentialProvider keys({"AKIDexample", "secret", ""});
  CloudAuditOptions o;
  EXPECT_EQ(o.region, "ap-guangzhou");
  EXPECT_NO_THROW(CloudAuditClient(keys, o));
  o.region = "not a region";
  EXPECT_THROW(CloudAuditClient(keys, o), Error);
  o.root_domain = "intl.tencentcloudapi.com";
  o.region = "ap-beijing";
  try {
    CloudAuditClient client(keys, o);
    ADD_FAILURE() << "the international site has no CloudAudit in ap-beijing";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::Usage);
    EXPECT_NE(std::string(e.what()).find("ap-singapore"), std::string::npos) << e.what();
  }
  o.region = "ap-singapore";
  EXPECT_NO_THROW(CloudAuditClient(keys, o));
}

}  // namespace
}  // namespace taskledger::tencent
