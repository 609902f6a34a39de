// Which audit events are tasks: one successful API 3.0 CLB write of an asynchronous action is;
// each kind of noise is not, for its own reason.
#include "taskledger/import/AuditEventFilter.h"

#include <gtest/gtest.h>

#include <limits>

#include "taskledger/domain/ClbAsyncActions.h"
#include "taskledger/domain/Validation.h"

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

// The events happened an hour before "now".
const TimePoint kNow = fromUnixSeconds(1'800'000'000) + std::chrono::hours(1);

std::optional<NewTask> keep(const AuditEvent& e) {
  std::string refusal;
  auto t = taskFromEvent(e, clbAsyncActions(), "prod", kNow, refusal);
  EXPECT_EQ(refusal, "") << "only a task can be refused";
  return t;
}

// The refusal of an event that is a task but must not reach the ledger as it came.
std::string refusalOf(const AuditEvent& e) {
  std::string refusal;
  EXPECT_FALSE(taskFromEvent(e, clbAsyncActions(), "prod", kNow, refusal));
  return refusal;
}

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

// Issue 21: the service writes a successful call's apiErrorCode as the integer 0 (read as "0");
// only an empty string counted as success, so every real event was dropped without a word.
TEST(AuditEventFilter, ZeroOfAnyJsonTypeOrEmptyIsSuccess) {
  for (const std::string code : {"0", ""}) {
    auto e = clbWrite();
    e.api_error_code = code;
    e.error_code = code;
    EXPECT_TRUE(keep(e)) << "'" << code << "'";
  }
}

// Issue 21 item 3: the actions Tencent's Terraform provider confirms with DescribeTaskStatus.
TEST(AuditEventFilter, TheTerraformProvidersAsynchronousActionsAreTasks) {
  for (const std::string action : {"CreateLoadBalancer", "SetLoadBalancerSecurityGroups", "SetLoadBalancerClsLog",
                                   "ModifyLoadBalancerSla", "ModifyLoadBalancerMixIpTarget", "ModifyLoadBalancersProject",
                                   "SetCustomizedConfigForLoadBalancer", "AddCustomizedConfig", "ModifyCustomizedConfig",
                                   "DeleteCustomizedConfig", "AssociateCustomizedConfig", "DisassociateCustomizedConfig",
                                   "ModifyFunctionTargets"}) {
    auto e = clbWrite();
    e.event_name = action;
    EXPECT_TRUE(keep(e)) << action;
  }
}

TEST(AuditEventFilter, NoiseNeverBecomesATask) {
  const std::vector<std::pair<std::string, void (*)(AuditEvent&)>> noise = {
      {"read event", [](AuditEvent& e) { e.action_type = "Read"; }},
      {"failed call (ErrorCode)", [](AuditEvent& e) { e.error_code = "4000"; }},
      {"failed call (apiErrorCode)", [](AuditEvent& e) { e.api_error_code = "InvalidParameter"; }},
      {"failed call (an integer apiErrorCode)", [](AuditEvent& e) { e.api_error_code = "4001"; }},
      {"API 2.0 call", [](AuditEvent& e) { e.api_version = "2.0"; }},
      {"API 2.0 id", [](AuditEvent& e) { e.request_id = "15936031437374_1553056587.6815_v2"; }},
      {"other product", [](AuditEvent& e) { e.resource_type = "cvm"; }},
      {"synchronous action", [](AuditEvent& e) { e.event_name = "CreateClsLogSet"; }},
      {"synchronous action", [](AuditEvent& e) { e.event_name = "CreateTopic"; }},
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
  std::string refusal;
  EXPECT_FALSE(taskFromEvent(e, {"DeleteListener"}, "prod", kNow, refusal));
  e.event_name = "SetLoadBalancerSecurityGroups";
  EXPECT_TRUE(taskFromEvent(e, {"SetLoadBalancerSecurityGroups"}, "prod", kNow, refusal));
}

// Issue 20: an EventTime in milliseconds (year 58902), ten years ahead, or read from "abc" (0) or
// "-1" was stored as is, or as 1970; each now skips its event with a line naming its RequestID.
TEST(AuditEventFilter, AnEventTimeOutsideTheSaneRangeSkipsTheEventNamingIt) {
  const std::int64_t ten_years = 10LL * 365 * 86400;
  for (std::int64_t bad : {std::int64_t{1'800'000'000'000}, 1'800'000'000 + ten_years, std::int64_t{0},
                           std::int64_t{-1}, std::int64_t{946'684'799}, std::numeric_limits<std::int64_t>::max(),
                           std::numeric_limits<std::int64_t>::min()}) {
    auto e = clbWrite();
    e.event_time = bad;
    const std::string refusal = refusalOf(e);
    EXPECT_NE(refusal.find("55c85074-3e7f-4c6d-864f-673660d4f8de"), std::string::npos) << refusal;
    EXPECT_NE(refusal.find("EventTime " + std::to_string(bad)), std::string::npos) << refusal;
  }
}

TEST(AuditEventFilter, TimesFrom2000ToADayAheadAreKept) {
  for (std::int64_t good : {std::int64_t{946'684'800}, toUnixSeconds(kNow + std::chrono::hours(24))}) {
    auto e = clbWrite();
    e.event_time = good;
    ASSERT_TRUE(keep(e)) << good;
    EXPECT_EQ(keep(e)->submitted_at, fromUnixSeconds(good));
  }
}

// Issue 20: a 1 MiB resource reached the ledger whole (and a 53 MB report). The bounds are import's.
TEST(AuditEventFilter, AFieldLongerThanImportAllowsSkipsTheEvent) {
  auto e = clbWrite();
  e.load_balancer_id = std::string(1 << 20, 'l');
  EXPECT_NE(refusalOf(e).find("resource (1048576 bytes; at most 1024)"), std::string::npos) << refusalOf(e);
  e.load_balancer_id = std::string(kMaxResourceBytes, 'l');
  EXPECT_TRUE(keep(e));

  auto user = clbWrite();
  user.user_name = std::string(kMaxActorBytes + 1, 'u');
  EXPECT_NE(refusalOf(user).find("user"), std::string::npos);
  auto ip = clbWrite();
  ip.source_ip = std::string(kMaxSourceIpBytes + 1, '1');
  EXPECT_NE(refusalOf(ip).find("source IP"), std::string::npos);
}

TEST(AuditEventFilter, AnEventThatIsNoTaskIsNeverRefusedWhateverItsTime) {
  auto e = clbWrite();
  e.action_type = "Read";
  e.event_time = -1;
  EXPECT_FALSE(keep(e));
}

}  // namespace
}  // namespace taskledger::import
