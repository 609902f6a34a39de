// What an HTTP answer becomes: a status only when it is exactly the documented envelope.
#include "taskledger/tencent/ResponseParser.h"

#include <gtest/gtest.h>

#include <string>

namespace taskledger::tencent {
namespace {

ApiError errorOf(int http_status, const std::string& body) {
  auto r = parseResponse(http_status, body);
  EXPECT_TRUE(std::holds_alternative<ApiError>(r)) << body;
  return std::holds_alternative<ApiError>(r) ? std::get<ApiError>(r) : ApiError{};
}

StatusAnswer statusOf(const std::string& body) {
  auto r = parseResponse(200, body);
  EXPECT_TRUE(std::holds_alternative<StatusAnswer>(r))
      << body << " -> " << (std::holds_alternative<ApiError>(r) ? std::get<ApiError>(r).message : "");
  return std::holds_alternative<StatusAnswer>(r) ? std::get<StatusAnswer>(r) : StatusAnswer{};
}

TEST(ResponseParser, DocumentedExampleKeepsEveryField) {
  const StatusAnswer a = statusOf(
      R"({"Response":{"Status":0,"LoadBalancerIds":["lb-6efswuxa"],"RequestId":"917384bc-5b8d-4b68-a0bc-a58f815e8e3b"}})");
  EXPECT_EQ(a.status, 0);
  EXPECT_EQ(a.message, "");
  ASSERT_EQ(a.load_balancer_ids.size(), 1u);
  EXPECT_EQ(a.load_balancer_ids[0], "lb-6efswuxa");
  EXPECT_EQ(a.api_request_id, "917384bc-5b8d-4b68-a0bc-a58f815e8e3b");
}

// Issue 20: a lone surrogate escape made the whole answer "not JSON", retried forever.
TEST(ResponseParser, ALoneSurrogateOrAnInvalidByteInTheMessageCostsOneCharacterNotTheAnswer) {
  const StatusAnswer a = statusOf(
      "{\"Response\":{\"Status\":1,\"Message\":\"bad \\ud800 and \xff end\",\"RequestId\":\"r-1\"}}");
  EXPECT_EQ(a.status, 1);
  EXPECT_EQ(a.message, "bad \uFFFD and \uFFFD end");
}

TEST(ResponseParser, FailedStatusKeepsTheMessage) {
  const StatusAnswer a = statusOf(
      R"({"Response":{"Status":1,"Message":"listener port conflict","LoadBalancerIds":["lb-1","lb-2"],"RequestId":"r1"}})");
  EXPECT_EQ(a.status, 1);
  EXPECT_EQ(a.message, "listener port conflict");
  EXPECT_EQ(a.load_balancer_ids, (std::vector<std::string>{"lb-1", "lb-2"}));
}

TEST(ResponseParser, InProgressWithNullMessageAndIds) {
  const StatusAnswer a = statusOf(R"({"Response":{"Status":2,"Message":null,"LoadBalancerIds":null,"RequestId":"r2"}})");
  EXPECT_EQ(a.status, 2);
  EXPECT_TRUE(a.message.empty());
  EXPECT_TRUE(a.load_balancer_ids.empty());
}

TEST(ResponseParser, ApiErrorIsClassified) {
  const ApiError e = errorOf(
      200, R"({"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"expired"},"RequestId":"r3"}})");
  EXPECT_EQ(e.code, "AuthFailure.SignatureExpire");
  EXPECT_EQ(e.message, "expired");
  EXPECT_EQ(e.api_request_id, "r3");
  EXPECT_EQ(e.consequence, ErrorConsequence::StopRun);  // the clock, not the keys

  const ApiError limited =
      errorOf(200, R"({"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"slow down"},"RequestId":"r4"}})");
  EXPECT_TRUE(limited.rate_limited);
  EXPECT_EQ(limited.consequence, ErrorConsequence::RetryLater);

  const ApiError refused =
      errorOf(200, R"({"Response":{"Error":{"Code":"InvalidParameter","Message":"bad TaskId"},"RequestId":"r5"}})");
  EXPECT_EQ(refused.consequence, ErrorConsequence::RejectTask);
}

struct Bad {
  int http_status;
  std::string body;
  std::string code;
};

class MalformedAnswer : public ::testing::TestWithParam<Bad> {};

TEST_P(MalformedAnswer, IsARetryableErrorNeverAStatus) {
  const Bad& b = GetParam();
  const ApiError e = errorOf(b.http_status, b.body);
  EXPECT_EQ(e.code, b.code);
  EXPECT_EQ(e.consequence, ErrorConsequence::RetryLater);
  EXPECT_FALSE(e.unknown_code);
  EXPECT_FALSE(e.message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedAnswer,
    ::testing::Values(
        Bad{503, "Service Unavailable", "HttpStatus.503"},
        Bad{500, R"({"Response":{"Status":0,"RequestId":"r"}})", "HttpStatus.500"},
        Bad{404, "", "HttpStatus.404"},
        Bad{200, "", "BadResponse"},
        Bad{200, "<html>busy</html>", "BadResponse"},
        Bad{200, R"({"Response":{"Status":0,"RequestId":"r")", "BadResponse"},  // truncated
        Bad{200, R"([1,2])", "BadResponse"},
        Bad{200, R"({"Status":0,"RequestId":"r"})", "BadResponse"},
        Bad{200, R"({"Response":"ok"})", "BadResponse"},
        Bad{200, R"({"Response":{"Status":0}})", "BadResponse"},
        Bad{200, R"({"Response":{"Status":0,"RequestId":""}})", "BadResponse"},
        Bad{200, R"({"Response":{"Status":0,"RequestId":7}})", "BadResponse"},
        Bad{200, R"({"Response":{"RequestId":"r"}})", "BadResponse"},
        // Past what the JSON parser reads as a number: not JSON at all.
        Bad{200, R"({"Response":{"Status":100000000000000000000000000000,"RequestId":"r"}})", "BadResponse"},
        Bad{200, R"({"Response":{"Status":"0","RequestId":"r"}})", "BadResponse"},
        Bad{200, R"({"Response":{"Status":0.0,"RequestId":"r"}})", "BadResponse"},
        Bad{200, R"({"Response":{"Status":1.5,"RequestId":"r"}})", "BadResponse"},
        Bad{200, R"({"Response":{"Status":true,"RequestId":"r"}})", "BadResponse"},
        Bad{200, R"({"Response":{"Status":null,"RequestId":"r"}})", "BadResponse"},
        Bad{200, R"({"Response":{"Status":0,"Message":5,"RequestId":"r"}})", "BadResponse"},
        Bad{200, R"({"Response":{"Status":0,"LoadBalancerIds":"lb-1","RequestId":"r"}})", "BadResponse"},
        Bad{200, R"({"Response":{"Status":0,"LoadBalancerIds":[1],"RequestId":"r"}})", "BadResponse"},
        Bad{200, R"({"Response":{"Error":"boom","RequestId":"r"}})", "BadResponse"},
        Bad{200, R"({"Response":{"Error":{"Message":"no code"},"RequestId":"r"}})", "BadResponse"},
        Bad{200, R"({"Response":{"Error":{"Code":"InternalError"}}})", "BadResponse"}));

TEST(ResponseParser, LongUnexpectedBodyIsQuotedOnlyInPart) {
  const ApiError e = errorOf(502, std::string(5000, 'x'));
  EXPECT_LT(e.message.size(), 300u);
}

// A Status the API does not document is not a broken answer: the task stays in progress, and the
// raw answer is kept in the check's message (issue 13). Whatever its size: 2^64 once wrapped to 0
// (succeeded), 2^63 once threw out of the run.
class UndocumentedStatus : public ::testing::TestWithParam<std::string> {};

TEST_P(UndocumentedStatus, KeepsWaitingWithTheRawAnswer) {
  const ApiError e = errorOf(200, GetParam());
  EXPECT_EQ(e.code, "UnknownStatus");
  EXPECT_EQ(e.consequence, ErrorConsequence::KeepWaiting);
  EXPECT_EQ(e.api_request_id, "r");
  EXPECT_NE(e.message.find(GetParam()), std::string::npos) << e.message;
}

INSTANTIATE_TEST_SUITE_P(Cases, UndocumentedStatus,
    ::testing::Values(std::string(R"({"Response":{"Status":3,"RequestId":"r"}})"),
                      std::string(R"({"Response":{"Status":-1,"RequestId":"r"}})"),
                      std::string(R"({"Response":{"Status":18446744073709551616,"RequestId":"r"}})"),
                      std::string(R"({"Response":{"Status":18446744073709551617,"RequestId":"r"}})"),
                      std::string(R"({"Response":{"Status":9223372036854775808,"RequestId":"r"}})"),
                      std::string(R"({"Response":{"Status":-9223372036854775809,"RequestId":"r"}})")));

}  // namespace
}  // namespace taskledger::tencent
