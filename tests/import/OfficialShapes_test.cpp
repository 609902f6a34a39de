// Issue 21 item 2, the import side: what discover and `add --from-json` keep of answers shaped as
// Tencent's documentation and SDK models give them (tests/fixtures/tencent/), not as our own local
// endpoint writes them.
#include <gtest/gtest.h>

#include "support/Fixture.h"
#include "taskledger/domain/ClbAsyncActions.h"
#include "taskledger/import/AuditEventFilter.h"
#include "taskledger/import/TccliAnswer.h"
#include "taskledger/tencent/CloudAuditAnswer.h"

namespace taskledger::import {
namespace {

using testing::fixture;

TEST(OfficialShapes, DiscoverKeepsTheSuccessfulAsynchronousCallsOfADocumentedPage) {
  const AuditAnswer a = tencent::parseDescribeEventsAnswer(fixture("cloudaudit_DescribeEvents_page.json"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  const TimePoint now = fromUnixSeconds(1680513810 + 3600);
  std::vector<NewTask> kept;
  for (const AuditEvent& e : a.page().events) {
    std::string refusal;
    if (auto t = taskFromEvent(e, clbAsyncActions(), "default", now, refusal)) kept.push_back(*t);
    EXPECT_EQ(refusal, "") << e.request_id;
  }
  // CreateListener and CreateLoadBalancer succeeded ("apiErrorCode":0); RegisterTargets and
  // DeleteListener failed (a string and an integer code).
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].request_id, "9d4b1cb1-ff46-4c3f-b2e8-c2ab1d7d0c7e");
  EXPECT_EQ(kept[0].operation, "CreateListener");
  EXPECT_EQ(kept[0].region, "ap-guangzhou");
  EXPECT_EQ(kept[0].resource, "lb-6efswuxa");
  EXPECT_EQ(kept[0].actor, "deploy-bot");
  EXPECT_EQ(kept[0].source_ip, "10.1.2.3");
  EXPECT_EQ(kept[0].submitted_at, fromUnixSeconds(1680513810));
  EXPECT_EQ(kept[1].operation, "CreateLoadBalancer");
  EXPECT_EQ(kept[1].region, "ap-shanghai");
  EXPECT_EQ(kept[1].resource, "lb-0newlb01");  // what it created, from its answer
}

TEST(OfficialShapes, AddFromJsonReadsTcclisPrintedAnswersAndTheSdksWrappedOnes) {
  const TccliAnswer listener = parseTccliAnswer(fixture("tccli_CreateListener.json"), "stdin");
  EXPECT_EQ(listener.request_id, "9d4b1cb1-ff46-4c3f-b2e8-c2ab1d7d0c7e");
  EXPECT_EQ(listener.resource, "lbl-ab12cd34");
  const TccliAnswer created = parseTccliAnswer(fixture("tccli_CreateLoadBalancer.json"), "stdin");
  EXPECT_EQ(created.request_id, "5f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");
  EXPECT_EQ(created.resource, "lb-0newlb01");
  const TccliAnswer wrapped = parseTccliAnswer(fixture("sdk_CreateListener_wrapped.json"), "stdin");
  EXPECT_EQ(wrapped.request_id, listener.request_id);
  EXPECT_EQ(wrapped.resource, listener.resource);
}

}  // namespace
}  // namespace taskledger::import
