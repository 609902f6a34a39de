// Every published TC3-HMAC-SHA256 vector of API.md, byte for byte.
#include "taskledger/tencent/Signer.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

namespace taskledger::tencent {
namespace {

// Tencent's worked example (CVM DescribeInstances). The \u escapes are literal ASCII.
const std::string kCvmPayload =
    R"({"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]})";
const std::string kCvmSecretId = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const ApiSpec kCvm{"cvm", "DescribeInstances", "2017-03-12"};

SignInput cvmInput(bool sign_action = false) {
  SignInput in;
  in.host = "cvm.tencentcloudapi.com";
  in.content_type = "application/json; charset=utf-8";
  in.timestamp = 1551113065;
  in.payload = kCvmPayload;
  in.sign_action = sign_action;
  return in;
}

std::string headerValue(const Signature& s, const std::string& name) {
  for (const auto& [n, v] : s.headers) {
    if (n == name) return v;
  }
  return "<absent>";
}

TEST(Signer, OfficialExampleReproducedStepByStep) {
  const Signature s = sign({kCvmSecretId, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", ""}, kCvm, cvmInput());

  EXPECT_EQ(sha256Hex(kCvmPayload), "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
  EXPECT_EQ(s.signed_headers, "content-type;host");
  EXPECT_EQ(s.canonical_request,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n"
            "content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
  EXPECT_EQ(sha256Hex(s.canonical_request), "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
  EXPECT_EQ(s.string_to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
  EXPECT_EQ(s.signature, "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
  EXPECT_EQ(s.authorization,
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
            "SignedHeaders=content-type;host, "
            "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
}

TEST(Signer, DateIsTheUtcDateEvenWhenUtcPlus8IsAlreadyTheNextDay) {
  EXPECT_EQ(utcDate(1551113065), "2019-02-25");
  EXPECT_EQ(utcDate(1640995200), "2022-01-01");
  EXPECT_EQ(utcDate(1640995199), "2021-12-31");
}

TEST(Signer, DemoRepositoryKeyWithSevenAsterisks) {
  const Signature s = sign({kCvmSecretId, "Gu5t9xGARNpq86cd98joQYCN3*******", ""}, kCvm, cvmInput());
  EXPECT_EQ(s.signature, "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c");
}

TEST(Signer, SigningTheActionHeaderAddsALowerCasedCanonicalLine) {
  const Signature s = sign({kCvmSecretId, "Gu5t9xGARNpq86cd98joQYCN3*******", ""}, kCvm, cvmInput(true));
  EXPECT_EQ(s.signed_headers, "content-type;host;x-tc-action");
  EXPECT_EQ(s.canonical_request,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n"
            "x-tc-action:describeinstances\n\ncontent-type;host;x-tc-action\n"
            "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
  EXPECT_EQ(s.string_to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
            "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84");
  EXPECT_EQ(s.signature, "be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3");
  EXPECT_EQ(s.authorization,
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
            "SignedHeaders=content-type;host;x-tc-action, "
            "Signature=be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3");
}

TEST(Signer, NewestDocRevisionDerivedKeys) {
  const Signature s = sign({kCvmSecretId, std::string(32, '*'), ""}, kCvm, cvmInput(true));
  EXPECT_EQ(s.secret_date_hex, "da98fb70dcf6b112dc21038d1eeeb3a95c74b4dcb12c1131f864f6066bd02be0");
  EXPECT_EQ(s.secret_service_hex, "8d70cbefb03939f929db64d32dc2ba89b1095620119fe3e050e2b18c5bd2752f");
  EXPECT_EQ(s.secret_signing_hex, "b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af");
  EXPECT_EQ(s.signature, "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f");
}

TEST(Signer, NodeSdkUnitTestVector) {
  SignInput in;
  in.host = "cvm.tencentcloudapi.com";
  in.content_type = "application/json";
  in.timestamp = 1640995200;
  in.payload = R"({"Action":"DescribeInstances","Version":"2017-03-12"})";
  const Signature s = sign({"test-secret-id", "test-secret-key", ""}, kCvm, in);
  EXPECT_EQ(s.authorization,
            "TC3-HMAC-SHA256 Credential=test-secret-id/2022-01-01/cvm/tc3_request, "
            "SignedHeaders=content-type;host, "
            "Signature=96473b50fe407833672a5d6d067238d88bb44c8abcc39ef83baa3132afbfadd3");
}

TEST(Signer, HashedPayloadIsTheExactBodyThatIsSent) {
  SignInput in;
  in.host = "clb.ap-guangzhou.tencentcloudapi.com";
  in.region = "ap-guangzhou";
  in.timestamp = 1700000000;
  in.payload = R"({"TaskId":"55c85074-3e7f-4c6d-864f-673660d4f8de"})";
  const Signature s = sign({"AKIDexample", "secret", ""}, {"clb", "DescribeTaskStatus", "2018-03-17"}, in);
  const std::string last_line = s.canonical_request.substr(s.canonical_request.rfind('\n') + 1);
  EXPECT_EQ(last_line, sha256Hex(in.payload));
  // One byte more (a space after the colon) is another hash: nothing re-serialises the body.
  EXPECT_NE(last_line, sha256Hex(R"({"TaskId": "55c85074-3e7f-4c6d-864f-673660d4f8de"})"));
}

TEST(Signer, HeadersToSendCarryWhatWasSigned) {
  SignInput in;
  in.host = "clb.ap-guangzhou.tencentcloudapi.com";
  in.region = "ap-guangzhou";
  in.timestamp = 1700000000;
  in.payload = R"({"TaskId":"x"})";
  const Signature s =
      sign({"AKIDexample", "secret", "tmp-token"}, {"clb", "DescribeTaskStatus", "2018-03-17"}, in);
  ASSERT_EQ(s.headers.size(), 9u);
  EXPECT_EQ(s.headers.front().first, "Host");
  EXPECT_EQ(s.headers.back().first, "Authorization");
  EXPECT_EQ(headerValue(s, "Host"), in.host);
  EXPECT_EQ(headerValue(s, "Content-Type"), "application/json");
  EXPECT_EQ(headerValue(s, "X-TC-Action"), "DescribeTaskStatus");
  EXPECT_EQ(headerValue(s, "X-TC-Version"), "2018-03-17");
  EXPECT_EQ(headerValue(s, "X-TC-Timestamp"), "1700000000");
  EXPECT_EQ(headerValue(s, "X-TC-Region"), "ap-guangzhou");
  EXPECT_EQ(headerValue(s, "X-TC-Token"), "tmp-token");
  EXPECT_EQ(headerValue(s, "Authorization"), s.authorization);
  EXPECT_NE(s.canonical_request.find("host:clb.ap-guangzhou.tencentcloudapi.com\n"), std::string::npos);
  EXPECT_NE(s.string_to_sign.find("2023-11-14/clb/tc3_request"), std::string::npos);
}

TEST(Signer, NoTokenNoRegionMeansNoSuchHeaders) {
  SignInput in;
  in.host = "clb.tencentcloudapi.com";
  in.timestamp = 1700000000;
  const Signature s = sign({"AKIDexample", "secret", ""}, {"clb", "DescribeTaskStatus", "2018-03-17"}, in);
  EXPECT_EQ(headerValue(s, "X-TC-Token"), "<absent>");
  EXPECT_EQ(headerValue(s, "X-TC-Region"), "<absent>");
  EXPECT_EQ(headerValue(s, "X-TC-Language"), "<absent>");
  EXPECT_EQ(s.headers.size(), 7u);
}

// Tencent's logs and support see who sent a request; the language chooses that of Message.
// Neither is signed (the SDKs sign content-type;host), so the published vectors still hold.
TEST(Signer, EveryRequestNamesTaskledgerAndCanAskForALanguage) {
  SignInput in;
  in.host = "clb.ap-guangzhou.tencentcloudapi.com";
  in.timestamp = 1700000000;
  const Signature plain = sign({"AKIDexample", "secret", ""}, {"clb", "DescribeTaskStatus", "2018-03-17"}, in);
  const std::string client = headerValue(plain, "X-TC-RequestClient");
  EXPECT_EQ(client.rfind("taskledger_", 0), 0u) << client;
  EXPECT_EQ(client, kRequestClient);
  // Within the SDKs' ^[0-9a-zA-Z-_ ,;.]+$ (issue 21: "taskledger/0.2.0" was not).
  EXPECT_EQ(client.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_ ,;."),
            std::string::npos) << client;
  in.language = "zh-CN";
  const Signature chinese = sign({"AKIDexample", "secret", ""}, {"clb", "DescribeTaskStatus", "2018-03-17"}, in);
  EXPECT_EQ(headerValue(chinese, "X-TC-Language"), "zh-CN");
  EXPECT_EQ(chinese.signature, plain.signature);
  EXPECT_EQ(chinese.signed_headers, "content-type;host");
}

TEST(Signer, SecretKeyAppearsInNoOutput) {
  const std::string secret = "CANARY-secret-key-0123456789";
  const Signature s = sign({kCvmSecretId, secret, ""}, kCvm, cvmInput(true));
  for (const std::string& text : {s.canonical_request, s.string_to_sign, s.authorization, s.signature}) {
    EXPECT_EQ(text.find(secret), std::string::npos);
  }
  for (const auto& [name, value] : s.headers) EXPECT_EQ(value.find(secret), std::string::npos) << name;
}

TEST(Signer, HexAndHmacPrimitives) {
  EXPECT_EQ(toHex(std::string("\x00\x0f\xff", 3)), "000fff");
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // RFC 4231 test case 2.
  EXPECT_EQ(toHex(hmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // RFC 4231 test case 6: a key longer than the block size is hashed first.
  EXPECT_EQ(toHex(hmacSha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  // RFC 4231 test case 7: a long key and long data.
  EXPECT_EQ(toHex(hmacSha256(std::string(131, '\xaa'),
                             "This is a test using a larger than block-size key and a larger than block-size data. "
                             "The key needs to be hashed before being used by the HMAC algorithm.")),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST(Signer, HmacAgreesWithOpenSslAroundTheBlockSize) {
  for (std::size_t key_size : {0, 1, 35, 63, 64, 65, 128, 200}) {
    const std::string key(key_size, static_cast<char>('a' + key_size % 26));
    const std::string data = "2026-11-28/clb/tc3_request " + std::to_string(key_size);
    unsigned char expected[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), expected, &length);
    EXPECT_EQ(hmacSha256(key, data), std::string(reinterpret_cast<const char*>(expected), length)) << key_size;
  }
}

}  // namespace
}  // namespace taskledger::tencent
