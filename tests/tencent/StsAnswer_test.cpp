// STS answers as Tencent documents them (tests/fixtures/tencent/sts_*.json): the keys a role or a
// TKE pod's web identity are given, and the refusals that mean the keys or the token are not good.
#include <gtest/gtest.h>

#include "support/Fixture.h"
#include "taskledger/domain/Error.h"
#include "taskledger/domain/ExitCode.h"
#include "taskledger/tencent/StsClient.h"

namespace taskledger::tencent {
namespace {

using taskledger::testing::fixture;

TEST(StsAnswer, AssumeRoleWithWebIdentityFixtureGivesTheKeysAndTheirExpiry) {
  const TemporaryCredentials keys =
      stsAnswerKeys(fixture("sts_AssumeRoleWithWebIdentity.json"), "STS AssumeRoleWithWebIdentity", "r");
  EXPECT_EQ(keys.credentials.secret_id, "AKIDVCXNQiYo****oEQoJBDWhYYeyf7LX");
  EXPECT_EQ(keys.credentials.secret_key, "ETQ7RQR****UHnVrdAi1tFfOyRvEWhBk");
  EXPECT_EQ(keys.credentials.token, "V5kdT1ZJ7b******ZmY1ZDc3YWZhMzhlZDVjOWI0ZGUwYWVjZDlkZTk3YjA2Y2Y3");
  EXPECT_EQ(keys.expires_at, fromUnixSeconds(1543914376));
}

TEST(StsAnswer, AssumeRoleFixtureHasTheSameShape) {
  const TemporaryCredentials keys = stsAnswerKeys(fixture("sts_AssumeRole.json"), "STS AssumeRole", "r");
  EXPECT_FALSE(keys.credentials.secret_id.empty());
  EXPECT_FALSE(keys.credentials.token.empty());
}

TEST(StsAnswer, ARefusedWebIdentityTokenIsExit77WithTheCode) {
  const std::string body =
      R"({"Response":{"Error":{"Code":"InvalidParameter.WebIdentityTokenError","Message":"token expired"},"RequestId":"r-1"}})";
  try {
    stsAnswerKeys(body, "STS AssumeRoleWithWebIdentity at sts.tencentcloudapi.com", "qcs::cam::uin/1:roleName/pod");
    ADD_FAILURE() << "an error answer gave keys";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::AuthRefused);
    EXPECT_NE(std::string(e.what()).find("InvalidParameter.WebIdentityTokenError"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace taskledger::tencent
