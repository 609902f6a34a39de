// Which audit events are tasks: one successful API 3.0 CLB write of an asynchronous action is;
// each kind of noise is not, for its own reason.
#include "taskledger/import/AuditEventFilter.h"

#include <gtest/gtest.h>

#include "taskledger/domain/ClbAsyncActions.h"

namespace taskledger::import {
namespace {

AuditEvent clbWrite() {
  AuditEvent e;
  e.event_id = "ev-1";
  e.event_name = "CreateListener";
  e.event_time = 1'800'000'000;
  e.event_region = "ap-shanghai";
  e.request_id = "55C85074-3E7F-4C6D-864F-673660D4F8DE";
  e.resource_type = "clb";
  e.resource_name = "lb-fromresource";
  e.error_code = "0";
  e.api_version = "3.0";
  e.action_type = "Write";
  e.user_name = "alice";
  e.principal_id = "100001";
  e.source_ip = "10.0.0.7";
  e.load_balancer_id = "lb-6efswuxa";
  return e;
}

std::optional<NewTask> keep(const AuditEvent& e) { return taskFromEvent(e, clbAsyncActions(), "prod"); }

TEST(AuditEventFilter, AWriteOfAnAsynchronousClbActionIsATaskWithWhoMadeIt) {
  auto t = keep(clbWrite());
  ASSERT_TRUE(t);
  EXPECT_EQ(t->profile, "prod");
  EXPECT_EQ(t->region, "ap-shanghai");
  EXPECT_EQ(t->request_id, "55c85074-3e7f-4c6d-864f-673660d4f8de");
  EXPECT_EQ(t->operation, "CreateListener");
  EXPECT_EQ(t->resource, "lb-6efswuxa");
  EXPECT_EQ(t->source, "cloudaudit");
  EXPECT_EQ(t->submitted_at, fromUnixSeconds(1'800'000'000));
  EXPECT_EQ(t->actor, "alice");
  EXPECT_EQ(t->source_ip, "10.0.0.7");
}

TEST(AuditEventFilter, WithoutALoadBalancerInTheCallTheResourceNameSaysIt) {
  auto e = clbWrite();
  e.load_balancer_id.clear();
  EXPECT_EQ(keep(e)->resource, "lb-fromresource");
}

TEST(AuditEventFilter, WithoutAUserNameThePrincipalIsTheActor) {
  auto e = clbWrite();
  e.user_name.clear();
  EXPECT_EQ(keep(e)->actor, "100001");
}

TEST(AuditEventFilter, TextThatIsNotUtf8IsLeftOutAndTheTaskKept) {
  auto e = clbWrite();
  e.user_name = "al\xffice";
  auto t = keep(e);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->actor, "");
  EXPECT_EQ(t->resource, "lb-6efswuxa");
}

TEST(AuditEventFilter, NoiseNeverBecomesATask) {
  const std::vector<std::pair<std::string, void (*)(AuditEvent&)>> noise = {
      {"read event", [](AuditEvent& e) { e.action_type = "Read"; }},
      {"failed call (ErrorCode)", [](AuditEvent& e) { e.error_code = "4000"; }},
      {"failed call (apiErrorCode)", [](AuditEvent& e) { e.api_error_code = "InvalidParameter"; }},
      {"API 2.0 call", [](AuditEvent& e) { e.api_version = "2.0"; }},
      {"API 2.0 id", [](AuditEvent& e) { e.request_id = "15936031437374_1553056587.6815_v2"; }},
      {"other product", [](AuditEvent& e) { e.resource_type = "cvm"; }},
      {"synchronous action", [](AuditEvent& e) { e.event_name = "SetLoadBalancerSecurityGroups"; }},
      {"no region", [](AuditEvent& e) { e.event_region.clear(); }},
  };
  for (const auto& [what, spoil] : noise) {
    auto e = clbWrite();
    spoil(e);
    EXPECT_FALSE(keep(e)) << what;
  }
}

TEST(AuditEventFilter, WithoutAResourceTypeTheApiHostNamesTheProduct) {
  auto e = clbWrite();
  e.resource_type.clear();
  e.event_source = "clb.tencentcloudapi.com";
  EXPECT_TRUE(keep(e));
  e.event_source = "cvm.tencentcloudapi.com";
  EXPECT_FALSE(keep(e));
}

TEST(AuditEventFilter, ActionsListReplacesTheAsynchronousSet) {
  auto e = clbWrite();
  EXPECT_FALSE(taskFromEvent(e, {"DeleteListener"}, "prod"));
  e.event_name = "SetLoadBalancerSecurityGroups";
  EXPECT_TRUE(taskFromEvent(e, {"SetLoadBalancerSecurityGroups"}, "prod"));
}

}  // namespace
}  // namespace taskledger::import
