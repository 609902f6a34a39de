// The credential chain against the local endpoint: STS AssumeRole and the CVM metadata route
// reached with --resolve, keys timed by one fake clock shared with the endpoint, and the keys
// used for real DescribeTaskStatus calls through the product's client.
#include "taskledger/tencent/CredentialChain.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>

#include <Poco/JSON/Parser.h>

#include <set>
#include <variant>

#include "support/ConnectProxy.h"
#include "support/Fixture.h"
#include "support/FakeClock.h"
#include "support/TempDir.h"
#include "taskledger/domain/Error.h"
#include "taskledger/mock/MockServer.h"
#include "taskledger/mock/TestCertificates.h"
#include "taskledger/tencent/Proxy.h"
#include "taskledger/tencent/TaskStatusClient.h"

namespace taskledger::tencent {
namespace {

namespace fs = std::filesystem;
using taskledger::testing::FakeClock;
using taskledger::testing::TempDir;

const std::string kLongId = "AKIDchainLONGterm0001";
const std::string kLongKey = "CANARY-chain-long-term-key";
const std::string kRoleArn = "qcs::cam::uin/100000000001:roleName/taskledger-poller";
const std::string kClbHost = "clb.ap-guangzhou.tencentcloudapi.com";
const std::string kTask = "55c85074-3e7f-4c6d-864f-673660d4f8de";

class CredentialChainTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    certs_ = new mock::TestCertificates(mock::generateTestCertificates(
        dir_->file("certs"), {kClbHost, "sts.tencentcloudapi.com", "sts.internal.tencentcloudapi.com"}));
  }
  static void TearDownTestSuite() {
    delete certs_;
    delete dir_;
  }

  // Knows the long-term keys; hands out 10-second temporary keys; the metadata route is on.
  mock::MockServerOptions serverOptions() {
    mock::MockServerOptions o;
    o.cert_file = certs_->server_cert;
    o.key_file = certs_->server_key;
    o.credentials = {{kLongId, kLongKey}};
    o.rate = 0;
    o.metadata_port = 0;
    o.sts_duration = std::chrono::seconds(10);
    o.clock = [this] { return clock_.now(); };
    mock::TaskScript done;
    done.statuses = {0};
    o.scenario.default_task = done;
    return o;
  }
  void startServer(mock::MockServerOptions o) {
    server_ = std::make_unique<mock::MockServer>(std::move(o));
    server_->start();
  }
  void startServer() { startServer(serverOptions()); }

  std::vector<std::string> resolve(const std::string& sts_host = "sts.tencentcloudapi.com") const {
    return {sts_host + ":127.0.0.1:" + std::to_string(server_->port()),
            "metadata.tencentyun.com:127.0.0.1:" + std::to_string(server_->metadataPort())};
  }

  ChainRequest request(std::optional<std::string> profile = std::nullopt) {
    ChainRequest r;
    r.lookup.profile = std::move(profile);
    r.lookup.getenv = [this](const std::string& name) -> std::optional<std::string> {
      const auto it = env_.find(name);
      return it == env_.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    r.lookup.home = home_.path().string();
    r.lookup.system_file = home_.file("etc-tencentcloud-credentials");
    r.access.endpoints = EndpointResolver::fromFlags("clb", "", "", resolve());
    r.access.ca_file = certs_->ca_cert;
    r.access.timeout = std::chrono::seconds(10);
    r.clock = &clock_;
    return r;
  }

  std::string writeHome(const std::string& relative, const std::string& content) {
    fs::create_directories((home_.path() / relative).parent_path());
    const std::string path = home_.write(relative, content);
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
    return path;
  }

  // One DescribeTaskStatus through the product's client, signed with `creds` at the fake time.
  CheckResult describe(const Credentials& creds) {
    HttpsClientOptions o;
    o.ca_file = certs_->ca_cert;
    o.now = [this] { return clock_.now(); };
    ApiCaller caller(o);
    return describeTaskStatus(
        caller, creds, EndpointResolver::fromFlags("clb", "", "", {kClbHost + ":127.0.0.1:" + std::to_string(server_->port())}),
        {"ap-guangzhou", kTask});
  }

  // The chain's error, checked never to hold the long-term key.
  Error failure(const ChainRequest& r) {
    try {
      chooseCredentials(r);
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()).find(kLongKey), std::string::npos) << e.what();
      return e;
    }
    ADD_FAILURE() << "credentials were found";
    return Error::runtime("");
  }

  static inline TempDir* dir_ = nullptr;
  static inline mock::TestCertificates* certs_ = nullptr;
  FakeClock clock_;
  TempDir home_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<mock::MockServer> server_;
};

TEST_F(CredentialChainTest, EnvironmentKeysComeFirstAndAreUsedAsTheyAre) {
  startServer();
  env_ = {{"TENCENTCLOUD_SECRET_ID", kLongId}, {"TENCENTCLOUD_SECRET_KEY", kLongKey}};
  writeHome(".tccli/default.credential", R"({"type": "cvm-role"})");
  const CredentialChoice c = chooseCredentials(request());
  EXPECT_EQ(c.source, "environment");
  EXPECT_EQ(c.temporary, nullptr);
  EXPECT_EQ(c.provider->current().secret_id, kLongId);
  EXPECT_EQ(c.provider->identity(), kLongId);
}

TEST_F(CredentialChainTest, EnvironmentRoleIsAssumedWithTheEnvironmentKeys) {
  startServer();
  env_ = {{"TENCENTCLOUD_SECRET_ID", kLongId}, {"TENCENTCLOUD_SECRET_KEY", kLongKey},
          {"TENCENTCLOUD_ROLE_ARN", kRoleArn}, {"TENCENTCLOUD_ROLE_SESSION_NAME", "cron"}};
  const CredentialChoice c = chooseCredentials(request());
  EXPECT_EQ(c.source, "STS AssumeRole " + kRoleArn + " at sts.tencentcloudapi.com (keys from environment)");
  ASSERT_NE(c.temporary, nullptr);
  const Credentials keys = c.provider->current();
  EXPECT_EQ(keys.secret_id.rfind("AKIDtmp", 0), 0u);
  EXPECT_FALSE(keys.token.empty());
  EXPECT_EQ(c.temporary->expiresAt(), clock_.now() + std::chrono::seconds(10));
  EXPECT_EQ(c.provider->identity(), "role:" + kRoleArn);
  const CheckResult r = describe(keys);
  ASSERT_TRUE(r.ok()) << r.error().code << ": " << r.error().message;
  EXPECT_EQ(r.answer().status, 0);
}

TEST_F(CredentialChainTest, TccliFileRoleIsAssumedWithTheFilesKeys) {
  startServer();
  const std::string path = writeHome(".tccli/prod.credential", R"({"secretId": ")" + kLongId + R"(", "secretKey": ")" +
                                                                   kLongKey + R"(", "role-arn": ")" + kRoleArn +
                                                                   R"(", "role-session-name": "cron"})");
  const CredentialChoice c = chooseCredentials(request("prod"));
  EXPECT_EQ(c.source, "STS AssumeRole " + kRoleArn + " at sts.tencentcloudapi.com (keys from " + path + ")");
  EXPECT_TRUE(describe(c.provider->current()).ok());
}

TEST_F(CredentialChainTest, StsRefusingTheKeysIsExit77NamingTheHost) {
  startServer();
  env_ = {{"TENCENTCLOUD_SECRET_ID", "AKIDunknown"}, {"TENCENTCLOUD_SECRET_KEY", kLongKey},
          {"TENCENTCLOUD_ROLE_ARN", kRoleArn}, {"TENCENTCLOUD_ROLE_SESSION_NAME", "cron"}};
  const Error e = failure(request());
  EXPECT_EQ(e.code(), ExitCode::AuthRefused);
  EXPECT_NE(std::string(e.what()).find("sts.tencentcloudapi.com"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("AuthFailure.SecretIdNotFound"), std::string::npos) << e.what();
}

// STS goes through the run's proxy; the keys it hands out work.
TEST_F(CredentialChainTest, StsIsAskedThroughTheProxy) {
  startServer();
  env_ = {{"TENCENTCLOUD_SECRET_ID", kLongId}, {"TENCENTCLOUD_SECRET_KEY", kLongKey},
          {"TENCENTCLOUD_ROLE_ARN", kRoleArn}, {"TENCENTCLOUD_ROLE_SESSION_NAME", "cron"}};
  testing::ConnectProxy proxy("dave:sts-proxy-pass");
  ChainRequest r = request();
  r.access.proxy = parseProxyUrl("http://dave:sts-proxy-pass@127.0.0.1:" + std::to_string(proxy.port()), "--proxy");
  const CredentialChoice c = chooseCredentials(r);
  EXPECT_EQ(proxy.targets(), std::vector<std::string>{"127.0.0.1:" + std::to_string(server_->port())});
  EXPECT_EQ(proxy.authorizations(), std::vector<std::string>{"dave:sts-proxy-pass"});
  EXPECT_TRUE(describe(c.provider->current()).ok());
}

TEST_F(CredentialChainTest, RootDomainAppliesToSts) {
  startServer();
  env_ = {{"TENCENTCLOUD_SECRET_ID", kLongId}, {"TENCENTCLOUD_SECRET_KEY", kLongKey},
          {"TENCENTCLOUD_ROLE_ARN", kRoleArn}, {"TENCENTCLOUD_ROLE_SESSION_NAME", "cron"}};
  ChainRequest r = request();
  r.access.endpoints =
      EndpointResolver::fromFlags("clb", "", "", resolve("sts.internal.tencentcloudapi.com"), "internal.tencentcloudapi.com");
  EXPECT_NE(chooseCredentials(r).source.find("at sts.internal.tencentcloudapi.com"), std::string::npos);
}

// The real name is what the certificate must hold, not the address --resolve connects to.
TEST_F(CredentialChainTest, StsCertificateIsCheckedAgainstTheRealHostName) {
  startServer();
  env_ = {{"TENCENTCLOUD_SECRET_ID", kLongId}, {"TENCENTCLOUD_SECRET_KEY", kLongKey},
          {"TENCENTCLOUD_ROLE_ARN", kRoleArn}, {"TENCENTCLOUD_ROLE_SESSION_NAME", "cron"}};
  ChainRequest r = request();
  r.access.endpoints = EndpointResolver::fromFlags("clb", "", "", resolve("sts.example.org"), "example.org");
  const std::string msg = failure(r).what();
  EXPECT_NE(msg.find("STS AssumeRole at sts.example.org via 127.0.0.1:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("certificate"), std::string::npos) << msg;
}

TEST_F(CredentialChainTest, TccliCvmRoleFileUsesTheInstanceRoleNotItsKeys) {
  startServer();
  const std::string path = writeHome(".tccli/default.credential", R"({"type": "cvm-role", "secretId": ")" + kLongId +
                                                                      R"(", "secretKey": ")" + kLongKey + "\"}");
  const CredentialChoice c = chooseCredentials(request());
  EXPECT_EQ(c.source, "CVM role taskledger-cvm-role (metadata.tencentyun.com), as " + path + " says");
  const Credentials keys = c.provider->current();
  EXPECT_NE(keys.secret_id, kLongId);
  EXPECT_EQ(c.provider->identity(), "cvm-role:taskledger-cvm-role");
  EXPECT_TRUE(describe(keys).ok());
}

TEST_F(CredentialChainTest, CvmRoleFlagWinsOverTheEnvironment) {
  mock::MockServerOptions o = serverOptions();
  o.metadata_role = "poller";
  startServer(o);
  env_ = {{"TENCENTCLOUD_SECRET_ID", kLongId}, {"TENCENTCLOUD_SECRET_KEY", kLongKey}};
  ChainRequest r = request();
  r.cvm_role = "poller";
  EXPECT_EQ(chooseCredentials(r).source, "CVM role poller (metadata.tencentyun.com)");
  r.cvm_role = "not-bound";
  EXPECT_EQ(failure(r).code(), ExitCode::AuthRefused);
}

TEST_F(CredentialChainTest, NothingElseFoundFallsBackToTheInstanceRole) {
  startServer();
  const CredentialChoice c = chooseCredentials(request());
  EXPECT_EQ(c.source, "CVM role taskledger-cvm-role (metadata.tencentyun.com)");
  EXPECT_TRUE(describe(c.provider->current()).ok());
}

TEST_F(CredentialChainTest, OffACvmTheErrorNamesEveryPlaceLookedAndTheMetadataHost) {
  startServer();
  ChainRequest r = request();
  // Nothing listens on port 1 of the loopback: what a host without the metadata service sees.
  r.access.endpoints = EndpointResolver::fromFlags("clb", "", "", {"metadata.tencentyun.com:127.0.0.1:1"});
  const Error e = failure(r);
  const std::string msg = e.what();
  EXPECT_EQ(e.code(), ExitCode::Failure);
  EXPECT_NE(msg.find("no credentials for profile 'default'"), std::string::npos) << msg;
  EXPECT_NE(msg.find(".tccli/default.credential"), std::string::npos) << msg;
  EXPECT_NE(msg.find("etc-tencentcloud-credentials"), std::string::npos) << msg;
  EXPECT_NE(msg.find("http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/"), std::string::npos)
      << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
}

TEST_F(CredentialChainTest, AnInstanceWithoutARoleSaysSo) {
  mock::MockServerOptions o = serverOptions();
  o.metadata_role = "";
  startServer(o);
  const std::string msg = failure(request()).what();
  EXPECT_NE(msg.find("no role is bound to this instance"), std::string::npos) << msg;
}

// The keys a refresh replaces stop working when they expire; the renewed ones carry on.
TEST_F(CredentialChainTest, RenewedKeysWorkAndExpiredOnesAreRefused) {
  startServer();
  const CredentialChoice c = chooseCredentials(request());
  const Credentials first = c.provider->current();
  clock_.advance(std::chrono::seconds(5));
  const Credentials second = c.provider->current();
  EXPECT_NE(second.secret_id, first.secret_id);
  clock_.advance(std::chrono::seconds(5));
  const CheckResult old_keys = describe(first);
  ASSERT_FALSE(old_keys.ok());
  EXPECT_EQ(old_keys.error().code, "AuthFailure.TokenFailure");
  EXPECT_TRUE(describe(second).ok());
}

// Issue 13's first figure, on the fake clock: a minute of 10-second keys from the metadata route,
// a request every 100 ms signed with whatever current() gives at that moment, and not one
// AuthFailure from the endpoint.
TEST_F(CredentialChainTest, AMinuteOnTenSecondMetadataKeysSeesNoAuthFailure) {
  startServer();
  const CredentialChoice c = chooseCredentials(request());
  const TimePoint end = clock_.now() + std::chrono::minutes(1);
  HttpsClientOptions o;
  o.ca_file = certs_->ca_cert;
  o.now = [this] { return clock_.now(); };
  const auto endpoints =
      EndpointResolver::fromFlags("clb", "", "", {kClbHost + ":127.0.0.1:" + std::to_string(server_->port())});
  ApiCaller caller(o);  // one kept-alive client for the minute, as in a run
  std::string keys_in_use;
  int requests = 0, keys_seen = 0;
  while (clock_.now() < end) {
    // As TaskStatusClient does: the provider is asked for every request.
    const Credentials keys = c.provider->current();
    if (keys.secret_id != keys_in_use) {
      keys_in_use = keys.secret_id;
      ++keys_seen;
    }
    const CheckResult r = describeTaskStatus(caller, keys, endpoints, {"ap-guangzhou", kTask});
    ASSERT_TRUE(r.ok()) << "at +" << (clock_.now() - (end - std::chrono::minutes(1))).count() << " ms: "
                        << r.error().code;
    ++requests;
    clock_.advance(Millis(100));
  }
  EXPECT_EQ(requests, 600);
  EXPECT_EQ(keys_seen, 12);
  const auto outcomes = server_->stats().outcomes;
  for (const auto& [outcome, count] : outcomes) EXPECT_EQ(outcome.rfind("AuthFailure", 0), std::string::npos) << outcome;
}

// A TKE pod: the four TKE_* variables name its own role, which STS gives for the kubelet's token.
class PodRoleChainTest : public CredentialChainTest {
 protected:
  void SetUp() override {
    token_file_ = home_.write("token", "oidc-token-1");
    mock::MockServerOptions o = serverOptions();
    o.web_identity_token_file = token_file_;
    startServer(std::move(o));
    env_ = {{"TKE_REGION", "ap-shanghai"},
            {"TKE_PROVIDER_ID", "tke-oidc-provider"},
            {"TKE_WEB_IDENTITY_TOKEN_FILE", token_file_},
            {"TKE_ROLE_ARN", kRoleArn}};
  }
  int webIdentityCalls() {
    const auto outcomes = server_->stats().outcomes;
    const auto it = outcomes.find("sts:AssumeRoleWithWebIdentity");
    return it == outcomes.end() ? 0 : static_cast<int>(it->second);
  }
  std::string token_file_;
};

TEST_F(PodRoleChainTest, ThePodsRoleIsAssumedUnsignedBeforeTheMetadataService) {
  // The metadata route is on (the node's role); a tccli file that says cvm-role is there too.
  writeHome(".tccli/default.credential", R"({"type": "cvm-role"})");
  const CredentialChoice c = chooseCredentials(request());
  EXPECT_EQ(c.source, "TKE pod role " + kRoleArn +
                          " via STS AssumeRoleWithWebIdentity at sts.tencentcloudapi.com (token from " + token_file_ + ")");
  ASSERT_NE(c.temporary, nullptr);
  EXPECT_EQ(c.provider->identity(), "role:" + kRoleArn);
  EXPECT_EQ(c.temporary->expiresAt(), clock_.now() + std::chrono::seconds(10));
  EXPECT_EQ(webIdentityCalls(), 1);
  const CheckResult r = describe(c.provider->current());
  ASSERT_TRUE(r.ok()) << r.error().code << ": " << r.error().message;
}

TEST_F(PodRoleChainTest, TheTokenFileIsReadAgainAtEveryRefresh) {
  const CredentialChoice c = chooseCredentials(request());
  const Credentials first = c.provider->current();
  // The kubelet rotates the token; the old one is no longer accepted.
  home_.write("token", "oidc-token-2");
  clock_.advance(std::chrono::seconds(5));
  const Credentials second = c.provider->current();
  EXPECT_NE(second.secret_id, first.secret_id);
  EXPECT_EQ(webIdentityCalls(), 2);
  clock_.advance(std::chrono::seconds(5));
  EXPECT_TRUE(describe(c.provider->current()).ok());
}

TEST_F(PodRoleChainTest, ARefusedTokenIsExit77) {
  env_["TKE_WEB_IDENTITY_TOKEN_FILE"] = home_.write("stale-token", "not-the-token");
  const Error e = failure(request());
  EXPECT_EQ(e.code(), ExitCode::AuthRefused);
  EXPECT_NE(std::string(e.what()).find("WebIdentityTokenError"), std::string::npos) << e.what();
}

TEST_F(PodRoleChainTest, EnvironmentKeysOrANamedProfileComeBeforeThePod) {
  env_["TENCENTCLOUD_SECRET_ID"] = kLongId;
  env_["TENCENTCLOUD_SECRET_KEY"] = kLongKey;
  EXPECT_EQ(chooseCredentials(request()).source, "environment");
  writeHome(".tccli/prod.credential", R"({"secretId": ")" + kLongId + R"(", "secretKey": ")" + kLongKey + R"("})");
  EXPECT_NE(chooseCredentials(request("prod")).source.find("prod.credential"), std::string::npos);
  EXPECT_EQ(webIdentityCalls(), 0);
}

// The names at each level of a JSON object's "Response" (and its "Credentials").
std::set<std::string> shapeOf(const std::string& body) {
  std::set<std::string> names;
  const auto response = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>()->getObject("Response");
  for (const auto& [name, value] : *response) names.insert(name);
  if (auto creds = response->getObject("Credentials")) {
    for (const auto& [name, value] : *creds) names.insert("Credentials." + name);
  }
  return names;
}

TEST_F(PodRoleChainTest, TheEndpointAnswersUnsignedCallsOnlyAndInTheDocumentedShape) {
  HttpsClientOptions o;
  o.ca_file = certs_->ca_cert;
  o.now = [this] { return clock_.now(); };
  ApiCaller caller(o);
  ApiRequest call;
  call.api = {"sts", "AssumeRoleWithWebIdentity", "2018-08-13"};
  call.endpoint = {"sts.tencentcloudapi.com", "sts.tencentcloudapi.com", "127.0.0.1",
                   static_cast<std::uint16_t>(server_->port())};
  call.region = "ap-shanghai";
  call.payload = R"({"ProviderId":"p","WebIdentityToken":"oidc-token-1","RoleArn":")" + kRoleArn +
                 R"(","RoleSessionName":"s","DurationSeconds":7200})";
  call.skip_signature = true;
  const ApiOutcome unsigned_call = caller.call(call, {});
  ASSERT_TRUE(std::holds_alternative<ApiReply>(unsigned_call.value));
  EXPECT_EQ(shapeOf(std::get<ApiReply>(unsigned_call.value).body),
            shapeOf(taskledger::testing::fixture("sts_AssumeRoleWithWebIdentity.json")));
  call.skip_signature = false;  // signed with long-term keys: not how the pod calls
  const ApiOutcome signed_call = caller.call(call, {kLongId, kLongKey, ""});
  ASSERT_TRUE(std::holds_alternative<ApiReply>(signed_call.value));
  EXPECT_NE(std::get<ApiReply>(signed_call.value).body.find("AuthFailure.InvalidAuthorization"), std::string::npos);
}

TEST_F(PodRoleChainTest, SomeTkeVariablesButNotAllAreNamedInAWarning) {
  env_.erase("TKE_PROVIDER_ID");
  env_["TENCENTCLOUD_SECRET_ID"] = kLongId;
  env_["TENCENTCLOUD_SECRET_KEY"] = kLongKey;
  const CredentialChoice c = chooseCredentials(request());
  EXPECT_EQ(c.source, "environment");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("missing: TKE_PROVIDER_ID"), std::string::npos) << c.warnings[0];
}

TEST_F(CredentialChainTest, TerraformsExternalIdReachesSts) {
  mock::MockServerOptions o = serverOptions();
  o.sts_external_id = "ext-42";
  startServer(std::move(o));
  env_ = {{"TENCENTCLOUD_SECRET_ID", kLongId},
          {"TENCENTCLOUD_SECRET_KEY", kLongKey},
          {"TENCENTCLOUD_ASSUME_ROLE_ARN", kRoleArn},
          {"TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME", "terraform"},
          {"TENCENTCLOUD_ASSUME_ROLE_EXTERNAL_ID", "ext-42"}};
  const CredentialChoice c = chooseCredentials(request());
  EXPECT_TRUE(describe(c.provider->current()).ok());
  env_["TENCENTCLOUD_ASSUME_ROLE_EXTERNAL_ID"] = "other";
  EXPECT_EQ(failure(request()).code(), ExitCode::AuthRefused);
}

}  // namespace
}  // namespace taskledger::tencent
