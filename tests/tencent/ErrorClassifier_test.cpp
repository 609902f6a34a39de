// The classification table of API.md "Common error codes", case by case.
#include "taskledger/tencent/ErrorClassifier.h"

#include <gtest/gtest.h>

#include <string>

namespace taskledger::tencent {
namespace {

using C = ErrorConsequence;

struct Case {
  std::string code;
  ErrorConsequence consequence;
  bool rate_limited = false;
  bool unknown = false;
  bool account_wide = false;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.code; }

class ClassifyCode : public ::testing::TestWithParam<Case> {};

TEST_P(ClassifyCode, GivesTheTablesConsequence) {
  const Case& c = GetParam();
  const Classification got = classifyErrorCode(c.code);
  EXPECT_EQ(got.consequence, c.consequence);
  EXPECT_EQ(got.rate_limited, c.rate_limited);
  EXPECT_EQ(got.unknown_code, c.unknown);
  EXPECT_EQ(got.account_wide, c.account_wide);
}

// One suite per row of the table (API.md, README "Error codes").
INSTANTIATE_TEST_SUITE_P(
    RateLimits, ClassifyCode,
    ::testing::Values(Case{"RequestLimitExceeded", C::RetryLater, true},
                      Case{"RequestLimitExceeded.Other", C::RetryLater, true},
                      Case{"RequestLimitExceeded.UinLimitExceeded", C::RetryLater, true, false, true},
                      Case{"RequestLimitExceeded.GlobalRegionUinLimitExceeded", C::RetryLater, true, false, true},
                      Case{"RequestLimitExceeded.IPLimitExceeded", C::RetryLater, true, false, true}));

INSTANTIATE_TEST_SUITE_P(
    Transient, ClassifyCode,
    ::testing::Values(Case{"InternalError", C::RetryLater},
                      Case{"ServiceUnavailable", C::RetryLater},
                      Case{"ResourceUnavailable", C::RetryLater},
                      Case{"ResourceInUse", C::RetryLater},
                      Case{"Network", C::RetryLater},
                      Case{"Timeout", C::RetryLater},
                      Case{"BadResponse", C::RetryLater},
                      Case{"HttpStatus.500", C::RetryLater},
                      Case{"HttpStatus.503", C::RetryLater}));

INSTANTIATE_TEST_SUITE_P(
    CredentialsRefused, ClassifyCode,
    ::testing::Values(Case{"AuthFailure", C::RefuseCredentials},
                      Case{"AuthFailure.SecretIdNotFound", C::RefuseCredentials},
                      Case{"AuthFailure.SignatureFailure", C::RefuseCredentials},
                      Case{"AuthFailure.TokenFailure", C::RefuseCredentials},
                      Case{"AuthFailure.InvalidSecretId", C::RefuseCredentials},
                      Case{"AuthFailure.InvalidAuthorization", C::RefuseCredentials},
                      Case{"AuthFailure.MFAFailure", C::RefuseCredentials},
                      Case{"AuthFailure.UnauthorizedOperation", C::RefuseCredentials},
                      Case{"UnauthorizedOperation", C::RefuseCredentials},
                      Case{"IpInBlacklist", C::RefuseCredentials},
                      Case{"IpNotInWhitelist", C::RefuseCredentials}));

INSTANTIATE_TEST_SUITE_P(ClockWrong, ClassifyCode,
                         ::testing::Values(Case{"AuthFailure.SignatureExpire", C::StopRun}));

INSTANTIATE_TEST_SUITE_P(
    RegionParked, ClassifyCode,
    ::testing::Values(Case{"UnsupportedRegion", C::ParkRegion},
                      Case{"InvalidParameter.RegionNotFound", C::ParkRegion},
                      Case{"HostUnreachable", C::ParkRegion}));

INSTANTIATE_TEST_SUITE_P(
    TaskRejected, ClassifyCode,
    ::testing::Values(Case{"InvalidParameter", C::RejectTask},
                      Case{"InvalidParameter.Other", C::RejectTask},
                      Case{"InvalidParameterValue", C::RejectTask},
                      Case{"InvalidParameterValue.Length", C::RejectTask},
                      Case{"ResourceNotFound", C::RejectTask},
                      Case{"ResourceNotFound.TaskNotFound", C::RejectTask},
                      Case{"InvalidRegion", C::RejectTask}));

INSTANTIATE_TEST_SUITE_P(
    RejectedAfterRepeats, ClassifyCode,
    ::testing::Values(Case{"FailedOperation", C::RejectAfterRepeats},
                      Case{"FailedOperation.InvalidLBStatus", C::RejectAfterRepeats}));

INSTANTIATE_TEST_SUITE_P(
    MalformedRequest, ClassifyCode,
    ::testing::Values(Case{"UnknownParameter", C::StopRun},
                      Case{"InvalidAction", C::StopRun},
                      Case{"NoSuchVersion", C::StopRun},
                      Case{"MissingParameter", C::StopRun},
                      Case{"UnsupportedProtocol", C::StopRun},
                      Case{"InvalidRequest", C::StopRun},
                      Case{"RequestSizeLimitExceeded", C::StopRun},
                      Case{"NoSuchProduct", C::StopRun},
                      Case{"ActionOffline", C::StopRun},
                      Case{"Certificate", C::StopRun}));

INSTANTIATE_TEST_SUITE_P(UndocumentedStatus, ClassifyCode,
                         ::testing::Values(Case{"UnknownStatus", C::KeepWaiting}));

// Unknown codes (and LimitExceeded, ResourceInsufficient, UnsupportedOperation) are retried but
// flagged, so the scheduler can bound them. A family entry does not swallow names that merely
// share its prefix, and codes are case-sensitive.
INSTANTIATE_TEST_SUITE_P(
    Unknown, ClassifyCode,
    ::testing::Values(Case{"UnsupportedOperation", C::RetryLater, false, true},
                      Case{"LimitExceeded", C::RetryLater, false, true},
                      Case{"ResourceInsufficient", C::RetryLater, false, true},
                      Case{"AuthFailureX", C::RetryLater, false, true},
                      Case{"RequestLimitExceededSoon", C::RetryLater, false, true},
                      Case{"InvalidActionX", C::RetryLater, false, true},
                      Case{"InvalidAction.Sub", C::RetryLater, false, true},
                      Case{"UnsupportedRegionX", C::RetryLater, false, true},
                      Case{"authfailure", C::RetryLater, false, true},
                      Case{"AuthFailure.", C::RetryLater, false, true},
                      Case{"", C::RetryLater, false, true}));

TEST(MakeApiError, CarriesCodeMessageRequestIdAndClassification) {
  const ApiError e = makeApiError("RequestLimitExceeded", "too fast", "req-1");
  EXPECT_EQ(e.code, "RequestLimitExceeded");
  EXPECT_EQ(e.message, "too fast");
  EXPECT_EQ(e.api_request_id, "req-1");
  EXPECT_EQ(e.consequence, C::RetryLater);
  EXPECT_TRUE(e.rate_limited);
  EXPECT_FALSE(e.unknown_code);
}

TEST(MakeApiError, MessageIsOneBoundedLine) {
  const ApiError e = makeApiError("InternalError", "line one\nline two\r\ttab" + std::string(1000, 'x'));
  EXPECT_EQ(e.message.find('\n'), std::string::npos);
  EXPECT_EQ(e.message.find('\r'), std::string::npos);
  EXPECT_EQ(e.message.rfind("line one line two", 0), 0u);
  EXPECT_LE(e.message.size(), 310u);
}

// A proxy's 407 stops the credential's work like AuthFailure (exit 77): no retry can fix it.
TEST(MakeApiError, AProxysRefusalIsRefusedCredentials) {
  EXPECT_EQ(makeApiError(kCodeProxyAuthRequired, "m").consequence, ErrorConsequence::RefuseCredentials);
  EXPECT_FALSE(classifyErrorCode(kCodeProxyAuthRequired).unknown_code);
}

// A server's code is a name: one of kilobytes is bounded like a message.
TEST(MakeApiError, AHugeCodeIsBoundedWithAMarker) {
  const ApiError e = makeApiError(std::string(50 * 1024, 'C'), "m");
  EXPECT_LE(e.code.size(), 400u);
  EXPECT_NE(e.code.find("[cut from 51200 bytes]"), std::string::npos);
}

}  // namespace
}  // namespace taskledger::tencent
