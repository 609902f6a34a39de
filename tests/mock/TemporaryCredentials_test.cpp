// The endpoint's STS AssumeRole action and CVM metadata route, and its CLB route's handling of the
// temporary keys they hand out.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <atomic>

#include "mock/MockTestSupport.h"

namespace taskledger::mock::testing {
namespace {

const tencent::ApiSpec kAssumeRole{"sts", "AssumeRole", "2018-08-13"};
const std::string kRoleArn = "qcs::cam::uin/100000000001:roleName/poller";
const std::string kTask = "55c85074-3e7f-4c6d-864f-673660d4f8de";

class TemporaryCredentialsTest : public MockServerSuite {
 protected:
  MockServerOptions options() {
    MockServerOptions o = baseOptions();
    o.scenario.default_task = everyId({0});
    o.sts_duration = std::chrono::seconds(10);
    o.metadata_port = 0;
    o.clock = [this] { return fromUnixSeconds(1'800'000'000) + Millis(offset_ms_.load()); };
    return o;
  }
  void start(MockServerOptions o) {
    server_ = std::make_unique<MockServer>(std::move(o));
    server_->start();
    client_ = std::make_unique<TestClient>(server_->port(), certs_.ca_cert);
  }
  std::int64_t clockOffsetSeconds() const {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    return 1'800'000'000 + offset_ms_ / 1000 - now.count();
  }

  ApiReply assumeRole(const std::string& body, tencent::Credentials creds = kTestCredentials) {
    CallOptions c;
    c.creds = std::move(creds);
    c.api = kAssumeRole;
    c.host = "sts.tencentcloudapi.com";
    c.body = body;
    c.clock_offset_seconds = clockOffsetSeconds();
    return client_->call("", c);
  }
  ApiReply describe(const tencent::Credentials& creds) {
    CallOptions c;
    c.creds = creds;
    c.clock_offset_seconds = clockOffsetSeconds();
    return client_->call(kTask, c);
  }
  static tencent::Credentials keysOf(const ApiReply& r) {
    auto c = r.response->getObject("Credentials");
    return {c->getValue<std::string>("TmpSecretId"), c->getValue<std::string>("TmpSecretKey"),
            c->getValue<std::string>("Token")};
  }
  std::pair<int, std::string> metadata(const std::string& path) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server_->metadataPort()));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setHost("metadata.tencentyun.com");
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    return {response.getStatus(), body};
  }

  std::atomic<long long> offset_ms_{0};
  std::unique_ptr<MockServer> server_;
  std::unique_ptr<TestClient> client_;
};

const std::string kAssume = R"({"RoleArn":")" + kRoleArn + R"(","RoleSessionName":"cron"})";

TEST_F(TemporaryCredentialsTest, AssumeRoleHandsOutKeysTheClbRouteAcceptsUntilTheyExpire) {
  start(options());
  const ApiReply r = assumeRole(kAssume);
  ASSERT_EQ(r.code(), "") << r.body;
  EXPECT_EQ(r.response->getValue<std::int64_t>("ExpiredTime"), 1'800'000'010);
  EXPECT_FALSE(r.response->getValue<std::string>("Expiration").empty());
  const tencent::Credentials keys = keysOf(r);
  EXPECT_EQ(describe(keys).seen(), "status:0");

  tencent::Credentials wrong_token = keys;
  wrong_token.token = "not-the-token";
  EXPECT_EQ(describe(wrong_token).seen(), "AuthFailure.TokenFailure");
  tencent::Credentials no_token = keys;
  no_token.token.clear();
  EXPECT_EQ(describe(no_token).seen(), "AuthFailure.TokenFailure");

  offset_ms_ = 9'999;
  EXPECT_EQ(describe(keys).seen(), "status:0");
  offset_ms_ = 10'000;
  EXPECT_EQ(describe(keys).seen(), "AuthFailure.TokenFailure");
}

TEST_F(TemporaryCredentialsTest, AssumeRoleWantsLongTermKeysAndAWellFormedRequest) {
  start(options());
  const tencent::Credentials temporary = keysOf(assumeRole(kAssume));
  EXPECT_EQ(assumeRole(kAssume, temporary).seen(), "AuthFailure.SecretIdNotFound");
  EXPECT_EQ(assumeRole(kAssume, {kTestCredentials.secret_id, "wrong-key", ""}).seen(), "AuthFailure.SignatureFailure");
  EXPECT_EQ(assumeRole(R"({"RoleSessionName":"cron"})").seen(), "MissingParameter");
  EXPECT_EQ(assumeRole(R"({"RoleArn":"poller","RoleSessionName":"cron"})").seen(), "InvalidParameter.RoleArn");
  EXPECT_EQ(assumeRole(R"({"RoleArn":")" + kRoleArn + R"(","RoleSessionName":"c","DurationSeconds":43201})").seen(),
            "InvalidParameter.DurationSeconds");
  // A shorter life than the endpoint's longest is granted as asked.
  const ApiReply short_life =
      assumeRole(R"({"RoleArn":")" + kRoleArn + R"(","RoleSessionName":"c","DurationSeconds":3})");
  EXPECT_EQ(short_life.response->getValue<std::int64_t>("ExpiredTime"), 1'800'000'003);
}

// Tencent counts a role's requests as one account's: a renewed key does not open a fresh window.
TEST_F(TemporaryCredentialsTest, KeysOfOneRoleShareOneRateWindow) {
  MockServerOptions o = options();
  o.rate = 2;
  start(o);
  const tencent::Credentials first = keysOf(assumeRole(kAssume));
  const tencent::Credentials second = keysOf(assumeRole(kAssume));
  ASSERT_NE(first.secret_id, second.secret_id);
  EXPECT_EQ(describe(first).seen(), "status:0");
  EXPECT_EQ(describe(first).seen(), "status:0");
  EXPECT_EQ(describe(second).seen(), "RequestLimitExceeded");
}

TEST_F(TemporaryCredentialsTest, MetadataRouteNamesTheRoleAndHandsOutItsKeys) {
  start(options());
  EXPECT_EQ(metadata("/latest/meta-data/cam/security-credentials/"),
            std::make_pair(200, std::string("taskledger-cvm-role")));
  const auto [status, body] = metadata("/latest/meta-data/cam/security-credentials/taskledger-cvm-role");
  ASSERT_EQ(status, 200);
  auto o = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(o->getValue<std::string>("Code"), "Success");
  EXPECT_EQ(o->getValue<std::int64_t>("ExpiredTime"), 1'800'000'010);
  const tencent::Credentials keys{o->getValue<std::string>("TmpSecretId"), o->getValue<std::string>("TmpSecretKey"),
                                  o->getValue<std::string>("Token")};
  EXPECT_EQ(describe(keys).seen(), "status:0");
  EXPECT_EQ(metadata("/latest/meta-data/cam/security-credentials/other-role").first, 404);
}

TEST_F(TemporaryCredentialsTest, AnInstanceWithoutARoleAnswers404) {
  MockServerOptions o = options();
  o.metadata_role = "";
  start(o);
  EXPECT_EQ(metadata("/latest/meta-data/cam/security-credentials/").first, 404);
}

TEST_F(TemporaryCredentialsTest, LanguageMustBeOneTencentKnows) {
  start(options());
  for (const std::string language : {"en-US", "zh-CN", "fr-FR"}) {
    tencent::SignInput in;
    in.host = kGuangzhouHost;
    in.region = "ap-guangzhou";
    in.timestamp = 1'800'000'000;
    in.payload = R"({"TaskId":")" + kTask + "\"}";
    in.language = language;
    const tencent::Signature sig = tencent::sign(kTestCredentials, kDescribeTaskStatus, in);
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/", Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : sig.headers) request.set(name, value);
    request.setContentLength(static_cast<std::streamsize>(in.payload.size()));
    EXPECT_EQ(client_->send(request, in.payload).seen(), language == "fr-FR" ? "InvalidParameterValue" : "status:0")
        << language;
  }
}

}  // namespace
}  // namespace taskledger::mock::testing
