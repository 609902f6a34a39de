// Issue 21 item 2: every parser of a Tencent answer fed with the answers as Tencent's documentation
// and SDK models give them (tests/fixtures/tencent/, each file naming its source), not as our own
// local endpoint writes them: a shape we and the endpoint both got wrong would pass every other
// test.
#include <gtest/gtest.h>

#include "support/Fixture.h"
#include "taskledger/tencent/CloudAuditAnswer.h"
#include "taskledger/tencent/ErrorClassifier.h"
#include "taskledger/tencent/ResponseParser.h"

namespace taskledger::tencent {
namespace {

using testing::fixture;

StatusAnswer statusOf(const std::string& name) {
  auto r = parseResponse(200, fixture(name));
  EXPECT_TRUE(std::holds_alternative<StatusAnswer>(r))
      << name << " -> " << (std::holds_alternative<ApiError>(r) ? std::get<ApiError>(r).message : "");
  return std::holds_alternative<StatusAnswer>(r) ? std::get<StatusAnswer>(r) : StatusAnswer{};
}

ApiError errorOf(const std::string& name) {
  auto r = parseResponse(200, fixture(name));
  EXPECT_TRUE(std::holds_alternative<ApiError>(r)) << name;
  return std::holds_alternative<ApiError>(r) ? std::get<ApiError>(r) : ApiError{};
}

TEST(OfficialShapes, DescribeTaskStatusAsDocumented) {
  const StatusAnswer ok = statusOf("clb_DescribeTaskStatus_succeeded.json");
  EXPECT_EQ(ok.status, 0);
  EXPECT_EQ(ok.message, "");  // null
  EXPECT_EQ(ok.load_balancer_ids, std::vector<std::string>{"lb-6efswuxa"});
  EXPECT_EQ(ok.api_request_id, "917384bc-5b8d-4b68-a0bc-a58f815e8e3b");

  const StatusAnswer failed = statusOf("clb_DescribeTaskStatus_failed.json");  // null ids, an unknown field
  EXPECT_EQ(failed.status, 1);
  EXPECT_EQ(failed.message, "listener port 80 conflicts with an existing listener");
  EXPECT_TRUE(failed.load_balancer_ids.empty());

  const StatusAnswer running = statusOf("clb_DescribeTaskStatus_in_progress.json");  // fields absent
  EXPECT_EQ(running.status, 2);
  EXPECT_EQ(running.api_request_id, "c4e7e4b8-3f6a-4e1b-9a2c-1d2e3f4a5b6c");
}

TEST(OfficialShapes, TheCommonErrorEnvelopeIsClassified) {
  const ApiError invalid = errorOf("common_error_InvalidParameter.json");
  EXPECT_EQ(invalid.code, "InvalidParameter");
  EXPECT_EQ(invalid.message, "TaskId is invalid");
  EXPECT_EQ(invalid.consequence, ErrorConsequence::RejectTask);
  EXPECT_EQ(invalid.api_request_id, "b5b41468-520d-4192-b42f-595cc34b6c1c");
  const ApiError auth = errorOf("common_error_AuthFailure_SignatureFailure.json");
  EXPECT_EQ(auth.code, "AuthFailure.SignatureFailure");
  EXPECT_EQ(auth.consequence, ErrorConsequence::RefuseCredentials);
}

TEST(OfficialShapes, CloudAuditPageAsDocumented) {
  const AuditAnswer a = parseDescribeEventsAnswer(fixture("cloudaudit_DescribeEvents_page.json"));
  ASSERT_TRUE(a.ok()) << a.error().code << ": " << a.error().message;
  const AuditPage& page = a.page();
  EXPECT_FALSE(page.list_over);
  ASSERT_TRUE(page.next_token.has_value());
  EXPECT_EQ(page.next_token->text, "16805138109322956");  // opaque, handed back exactly as received
  EXPECT_TRUE(page.next_token->number);
  EXPECT_EQ(page.api_request_id, "36d2e2c4-8b1c-4c02-9dd4-0a9b6b6cdd9d");
  ASSERT_EQ(page.events.size(), 4u);

  const AuditEvent& listener = page.events[0];
  EXPECT_EQ(listener.event_name, "CreateListener");
  EXPECT_EQ(listener.event_time, 1680513810);  // EventTime is a string of Unix seconds
  EXPECT_EQ(listener.event_region, "ap-guangzhou");
  EXPECT_EQ(listener.request_id, "9d4b1cb1-ff46-4c3f-b2e8-c2ab1d7d0c7e");
  EXPECT_EQ(listener.api_version, "3.0");
  EXPECT_EQ(listener.action_type, "Write");
  EXPECT_EQ(listener.api_error_code, "0");  // the integer 0, as text
  EXPECT_EQ(listener.error_code, "0");      // ErrorCode, an integer
  EXPECT_EQ(listener.user_name, "deploy-bot");
  EXPECT_EQ(listener.source_ip, "10.1.2.3");
  EXPECT_EQ(listener.load_balancer_id, "lb-6efswuxa");

  const AuditEvent& created = page.events[1];
  EXPECT_EQ(created.event_name, "CreateLoadBalancer");
  EXPECT_EQ(created.load_balancer_id, "lb-0newlb01");  // from responseElements' LoadBalancerIds

  EXPECT_EQ(page.events[2].api_error_code, "InvalidParameter");
  EXPECT_EQ(page.events[3].api_error_code, "4001");

  const AuditAnswer last = parseDescribeEventsAnswer(fixture("cloudaudit_DescribeEvents_last_page.json"));
  ASSERT_TRUE(last.ok()) << last.error().message;
  EXPECT_TRUE(last.page().list_over);
  EXPECT_FALSE(last.page().next_token.has_value());  // null
  EXPECT_TRUE(last.page().events.empty());
}

}  // namespace
}  // namespace taskledger::tencent
