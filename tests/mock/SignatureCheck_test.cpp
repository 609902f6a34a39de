// The endpoint's verifier against Tencent's published vectors (../shared/API.md), independently
// of how the client signs.
#include "taskledger/mock/SignatureCheck.h"

#include <gtest/gtest.h>

#include <map>

namespace taskledger::mock {
namespace {

const std::string kCvmPayload =
    R"({"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]})";

SignedRequest cvmRequest(std::map<std::string, std::string> headers, std::string payload, std::int64_t ts) {
  SignedRequest r;
  r.method = "POST";
  r.payload = std::move(payload);
  r.timestamp = ts;
  r.header = [headers](const std::string& name) -> std::optional<std::string> {
    auto it = headers.find(name);
    if (it == headers.end()) return std::nullopt;
    return it->second;
  };
  return r;
}

AuthorizationHeader auth(const std::string& value) {
  auto a = parseAuthorization(value);
  EXPECT_TRUE(a.has_value()) << value;
  return a.value_or(AuthorizationHeader{});
}

const std::map<std::string, std::string> kCvmHeaders{
    {"content-type", "application/json; charset=utf-8"}, {"host", "cvm.tencentcloudapi.com"},
    {"x-tc-action", "DescribeInstances"}};

TEST(SignatureCheck, AcceptsTheOfficialWorkedExample) {
  auto a = auth("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
                "SignedHeaders=content-type;host, "
                "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
  EXPECT_EQ(a.secret_id, "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE");
  auto request = cvmRequest(kCvmHeaders, kCvmPayload, 1551113065);
  EXPECT_FALSE(verifySignature(a, request, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm").refused());
  EXPECT_EQ(verifySignature(a, request, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLF", "cvm").code,
            "AuthFailure.SignatureFailure");
  auto tampered = cvmRequest(kCvmHeaders, kCvmPayload + " ", 1551113065);
  EXPECT_TRUE(verifySignature(a, tampered, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm").refused());
  auto other_host = kCvmHeaders;
  other_host["host"] = "cvm.ap-guangzhou.tencentcloudapi.com";
  EXPECT_TRUE(verifySignature(a, cvmRequest(other_host, kCvmPayload, 1551113065),
                              "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm").refused());
}

TEST(SignatureCheck, AcceptsTheSignedActionFormWithTheActionLowerCased) {
  auto a = auth("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
                "SignedHeaders=content-type;host;x-tc-action, "
                "Signature=be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3");
  auto request = cvmRequest(kCvmHeaders, kCvmPayload, 1551113065);
  EXPECT_FALSE(verifySignature(a, request, "Gu5t9xGARNpq86cd98joQYCN3*******", "cvm").refused());
}

TEST(SignatureCheck, AcceptsTheNodeSdkVector) {
  auto a = auth("TC3-HMAC-SHA256 Credential=test-secret-id/2022-01-01/cvm/tc3_request, "
                "SignedHeaders=content-type;host, "
                "Signature=96473b50fe407833672a5d6d067238d88bb44c8abcc39ef83baa3132afbfadd3");
  auto request = cvmRequest({{"content-type", "application/json"}, {"host", "cvm.tencentcloudapi.com"}},
                            R"({"Action":"DescribeInstances","Version":"2017-03-12"})", 1640995200);
  EXPECT_FALSE(verifySignature(a, request, "test-secret-key", "cvm").refused());
}

TEST(SignatureCheck, RefusesAWrongScopeOrIncompleteSignedHeaders) {
  const std::string sig = "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168";
  auto request = cvmRequest(kCvmHeaders, kCvmPayload, 1551113065);
  auto wrong_date = auth("TC3-HMAC-SHA256 Credential=AKID/2019-02-26/cvm/tc3_request, SignedHeaders=content-type;host, " + sig);
  EXPECT_NE(verifySignature(wrong_date, request, "k", "cvm").message.find("scope"), std::string::npos);
  auto wrong_service = auth("TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, " + sig);
  EXPECT_TRUE(verifySignature(wrong_service, request, "k", "clb").refused());
  auto no_host = auth("TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type, " + sig);
  EXPECT_NE(verifySignature(no_host, request, "k", "cvm").message.find("host"), std::string::npos);
  auto unsent = auth("TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host;x-tc-region, " + sig);
  EXPECT_NE(verifySignature(unsent, request, "k", "cvm").message.find("x-tc-region"), std::string::npos);
}

TEST(SignatureCheck, ParsesOnlyTheTc3AuthorizationShape) {
  EXPECT_FALSE(parseAuthorization("").has_value());
  EXPECT_FALSE(parseAuthorization("Bearer abc").has_value());
  EXPECT_FALSE(parseAuthorization("TC3-HMAC-SHA256 Credential=a/b/c, SignedHeaders=host, Signature=x").has_value());
  EXPECT_FALSE(parseAuthorization("TC3-HMAC-SHA256 Credential=a/b/c/d, Signature=x").has_value());
  auto a = parseAuthorization("TC3-HMAC-SHA256 Credential=id/2024-01-02/clb/tc3_request,SignedHeaders=content-type;host,Signature=ab");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->date, "2024-01-02");
  EXPECT_EQ(a->service, "clb");
  EXPECT_EQ(a->signed_headers, "content-type;host");
  EXPECT_EQ(a->signature, "ab");
}

}  // namespace
}  // namespace taskledger::mock
