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
  bool rate_limited;
  bool unknown;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.code; }

class ClassifyCode : public ::testing::TestWithParam<Case> {};

TEST_P(ClassifyCode, GivesTheTablesConsequence) {
  const Case& c = GetParam();
  const Classification got = classifyErrorCode(c.code);
  EXPECT_EQ(got.consequence, c.consequence);
  EXPECT_EQ(got.rate_limited, c.rate_limited);
  EXPECT_EQ(got.unknown_code, c.unknown);
}

INSTANTIATE_TEST_SUITE_P(
    RetryLater, ClassifyCode,
    ::testing::Values(Case{"RequestLimitExceeded", C::RetryLater, true, false},
                      Case{"RequestLimitExceeded.UinLimitExceeded", C::RetryLater, true, false},
                      Case{"RequestLimitExceeded.GlobalRegionUinLimitExceeded", C::RetryLater, true, false},
                      Case{"RequestLimitExceeded.IPLimitExceeded", C::RetryLater, true, false},
                      Case{"InternalError", C::RetryLater, false, false},
                      Case{"ServiceUnavailable", C::RetryLater, false, false},
                      Case{"ResourceUnavailable", C::RetryLater, false, false},
                      Case{"ResourceInUse", C::RetryLater, false, false},
                      Case{"Network", C::RetryLater, false, false},
                      Case{"Timeout", C::RetryLater, false, false},
                      Case{"BadResponse", C::RetryLater, false, false},
                      Case{"HttpStatus.500", C::RetryLater, false, false},
                      Case{"HttpStatus.503", C::RetryLater, false, false}));

INSTANTIATE_TEST_SUITE_P(
    RejectTask, ClassifyCode,
    ::testing::Values(Case{"InvalidParameter", C::RejectTask, false, false},
                      Case{"InvalidParameter.RegionNotFound", C::RejectTask, false, false},
                      Case{"InvalidParameterValue", C::RejectTask, false, false},
                      Case{"InvalidParameterValue.Length", C::RejectTask, false, false},
                      Case{"MissingParameter", C::RejectTask, false, false},
                      Case{"ResourceNotFound", C::RejectTask, false, false},
                      Case{"ResourceNotFound.TaskNotFound", C::RejectTask, false, false},
                      Case{"FailedOperation", C::RejectTask, false, false},
                      Case{"FailedOperation.InvalidLBStatus", C::RejectTask, false, false},
                      Case{"InvalidRegion", C::RejectTask, false, false}));

INSTANTIATE_TEST_SUITE_P(
    StopRun, ClassifyCode,
    ::testing::Values(Case{"AuthFailure", C::RefuseCredentials, false, false},
                      Case{"AuthFailure.SecretIdNotFound", C::RefuseCredentials, false, false},
                      Case{"AuthFailure.SignatureFailure", C::RefuseCredentials, false, false},
                      Case{"AuthFailure.SignatureExpire", C::RefuseCredentials, false, false},
                      Case{"AuthFailure.TokenFailure", C::RefuseCredentials, false, false},
                      Case{"AuthFailure.InvalidSecretId", C::RefuseCredentials, false, false},
                      Case{"AuthFailure.InvalidAuthorization", C::RefuseCredentials, false, false},
                      Case{"AuthFailure.MFAFailure", C::RefuseCredentials, false, false},
                      Case{"AuthFailure.UnauthorizedOperation", C::RefuseCredentials, false, false},
                      Case{"UnauthorizedOperation", C::RefuseCredentials, false, false},
                      Case{"InvalidAction", C::StopRun, false, false},
                      Case{"NoSuchVersion", C::StopRun, false, false},
                      Case{"NoSuchProduct", C::StopRun, false, false},
                      Case{"ActionOffline", C::StopRun, false, false},
                      Case{"UnsupportedRegion", C::StopRun, false, false},
                      Case{"UnsupportedProtocol", C::StopRun, false, false},
                      Case{"IpInBlacklist", C::RefuseCredentials, false, false},
                      Case{"IpNotInWhitelist", C::RefuseCredentials, false, false},
                      Case{"Certificate", C::StopRun, false, false}));

// Unknown codes are retried but flagged, so the scheduler can bound them. A family entry does
// not swallow names that merely share its prefix, and codes are case-sensitive.
INSTANTIATE_TEST_SUITE_P(
    Unknown, ClassifyCode,
    ::testing::Values(Case{"UnsupportedOperation", C::RetryLater, false, true},
                      Case{"LimitExceeded", C::RetryLater, false, true},
                      Case{"AuthFailureX", C::RetryLater, false, true},
                      Case{"RequestLimitExceededSoon", C::RetryLater, false, true},
                      Case{"InvalidActionX", C::RetryLater, false, true},
                      Case{"InvalidAction.Sub", C::RetryLater, false, true},
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

}  // namespace
}  // namespace taskledger::tencent
