// `taskledger credentials` through the real binary: which source won, the SecretId's first 8
// characters, the expiry of temporary keys, and never a key; STS and the metadata route are the
// local endpoint's, reached with --resolve.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>

#include "support/Process.h"
#include "support/TempDir.h"
#include "taskledger/mock/MockServer.h"
#include "taskledger/mock/TestCertificates.h"

namespace taskledger {
namespace {

using testing::runTaskledger;
using testing::TempDir;

const std::string kSecretId = "AKIDcredcmd0123456789";
const std::string kSecretKey = "CANARY-credentials-command-key";
const std::string kRoleArn = "qcs::cam::uin/100000000001:roleName/poller";

class CredentialsCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    certs_ = mock::generateTestCertificates(dir_.file("certs"), {"sts.tencentcloudapi.com", "sts.internal.tencentcloudapi.com"});
    mock::MockServerOptions o;
    o.cert_file = certs_.server_cert;
    o.key_file = certs_.server_key;
    o.credentials = {{kSecretId, kSecretKey}};
    o.metadata_port = 0;
    server_ = std::make_unique<mock::MockServer>(o);
    server_->start();
  }

  // Nothing of the developer's own environment or home takes part.
  testing::ProcessOptions env(std::map<std::string, std::string> vars = {}) const {
    vars["HOME"] = dir_.file("home");
    return testing::withEnv(vars, {"TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_TOKEN",
                                   "TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_ROLE_ARN", "TENCENTCLOUD_ROLE_SESSION_NAME",
                                   "TENCENTCLOUD_CREDENTIALS_FILE", "TENCENTCLOUD_CAM_ROLE_NAME", "TCCLI_PROFILE",
                                   "TENCENTCLOUD_DOMAIN", "TKE_REGION", "TKE_PROVIDER_ID",
                                   "TKE_WEB_IDENTITY_TOKEN_FILE", "TKE_ROLE_ARN", "TENCENTCLOUD_SESSION_TOKEN",
                                   "TENCENTCLOUD_ASSUME_ROLE_ARN", "TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME"});
  }
  std::vector<std::string> reach(std::vector<std::string> args) const {
    const std::string port = std::to_string(server_->port());
    args.insert(args.end(), {"--ca-file", certs_.ca_cert, "--resolve", "sts.tencentcloudapi.com:127.0.0.1:" + port,
                             "--resolve", "metadata.tencentyun.com:127.0.0.1:" + std::to_string(server_->metadataPort())});
    return args;
  }

  TempDir dir_;
  mock::TestCertificates certs_;
  std::unique_ptr<mock::MockServer> server_;
};

TEST_F(CredentialsCommand, EnvironmentKeysShowTheirSourceAndEightCharacters) {
  const auto r = runTaskledger({"credentials"}, env({{"TENCENTCLOUD_SECRET_ID", kSecretId}, {"TENCENTCLOUD_SECRET_KEY", kSecretKey}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("source:     environment\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("secret id:  AKIDcred... (first 8 characters)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("expires:    never (long-term keys)\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(kSecretId), std::string::npos) << r.out;
  EXPECT_EQ((r.out + r.err).find(kSecretKey), std::string::npos);
}

TEST_F(CredentialsCommand, AnAssumedRoleShowsItsTemporaryKeysExpiry) {
  const auto r = runTaskledger(reach({"credentials"}),
                               env({{"TENCENTCLOUD_SECRET_ID", kSecretId}, {"TENCENTCLOUD_SECRET_KEY", kSecretKey},
                                    {"TENCENTCLOUD_ROLE_ARN", kRoleArn}, {"TENCENTCLOUD_ROLE_SESSION_NAME", "cron"}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("source:     STS AssumeRole " + kRoleArn + " at sts.tencentcloudapi.com (keys from environment)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("secret id:  AKIDtmp"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("limits as:  role:" + kRoleArn), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("expires:    "), std::string::npos) << r.out;
  // The SDKs' default 7200 s, just fetched.
  EXPECT_TRUE(r.out.find("(in 1h59m") != std::string::npos || r.out.find("(in 2h;") != std::string::npos) << r.out;
  EXPECT_EQ((r.out + r.err).find(kSecretKey), std::string::npos);
}

TEST_F(CredentialsCommand, AProfileThatSaysCvmRoleUsesTheMetadataService) {
  TempDir& d = dir_;
  std::filesystem::create_directories(d.path() / "home/.tccli");
  d.write("home/.tccli/prod.credential", R"({"type": "cvm-role", "secretId": "AKIDstale000", "secretKey": "stale"})");
  const auto r = runTaskledger(reach({"credentials", "--profile", "prod"}), env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("profile:    prod\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("source:     CVM role taskledger-cvm-role (metadata.tencentyun.com), as "), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("AKIDstal"), std::string::npos) << r.out;
}

TEST_F(CredentialsCommand, ATkePodNamesItsOwnRoleAndTheTokenFile) {
  server_->stop();
  const std::string token = dir_.write("token", "oidc");
  mock::MockServerOptions o;
  o.cert_file = certs_.server_cert;
  o.key_file = certs_.server_key;
  o.metadata_port = 0;
  o.web_identity_token_file = token;
  server_ = std::make_unique<mock::MockServer>(o);
  server_->start();
  const auto r = runTaskledger(reach({"credentials"}), env({{"TKE_REGION", "ap-guangzhou"},
                                                            {"TKE_PROVIDER_ID", "provider"},
                                                            {"TKE_WEB_IDENTITY_TOKEN_FILE", token},
                                                            {"TKE_ROLE_ARN", kRoleArn}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("source:     TKE pod role " + kRoleArn + " via STS AssumeRoleWithWebIdentity at "
                       "sts.tencentcloudapi.com (token from " + token + ")"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("limits as:  role:" + kRoleArn), std::string::npos) << r.out;
}

TEST_F(CredentialsCommand, SsoKeysShowTheirExpiryAndDeadOnesSayToLogInAgain) {
  std::filesystem::create_directories(dir_.path() / "home/.tccli");
  const long long in_an_hour =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() + 3600;
  dir_.write("home/.tccli/default.credential", R"({"type": "sso", "secretId": "AKIDsso0001", "secretKey": ")" +
                                                   kSecretKey + R"(", "token": "t", "expiresAt": )" +
                                                   std::to_string(in_an_hour) + "}");
  auto r = runTaskledger({"credentials"}, env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("expires:    "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("log in with tccli again"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("never"), std::string::npos) << r.out;
  dir_.write("home/.tccli/default.credential", R"({"type": "sso", "secretId": "AKIDsso0001", "secretKey": ")" +
                                                   kSecretKey + R"(", "token": "t", "expiresAt": 1700000000})");
  r = runTaskledger({"credentials"}, env());
  EXPECT_EQ(r.exit_code, 77);
  EXPECT_NE(r.err.find("log in with tccli again"), std::string::npos) << r.err;
  EXPECT_EQ((r.out + r.err).find(kSecretKey), std::string::npos);
}

TEST_F(CredentialsCommand, OffACvmWithNothingFoundItFailsFastWithOneLine) {
  const auto r = runTaskledger({"credentials", "--resolve", "metadata.tencentyun.com:127.0.0.1:1"}, env());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("no credentials for profile 'default'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("metadata.tencentyun.com"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

// Inside a VPC: the root domain from the configuration file, else TENCENTCLOUD_DOMAIN.
TEST_F(CredentialsCommand, RootDomainFromTheConfigurationOrTheEnvironmentMovesSts) {
  const std::string port = std::to_string(server_->port());
  const std::vector<std::string> args{"credentials", "--ca-file", certs_.ca_cert, "--resolve",
                                      "sts.internal.tencentcloudapi.com:127.0.0.1:" + port};
  std::map<std::string, std::string> vars{{"TENCENTCLOUD_SECRET_ID", kSecretId}, {"TENCENTCLOUD_SECRET_KEY", kSecretKey},
                                          {"TENCENTCLOUD_ROLE_ARN", kRoleArn}, {"TENCENTCLOUD_ROLE_SESSION_NAME", "cron"}};
  const std::string ini = dir_.write("taskledger.ini", "root-domain = internal.tencentcloudapi.com\n");
  std::vector<std::string> with_config{"--config", ini};
  with_config.insert(with_config.end(), args.begin(), args.end());
  const auto from_config = runTaskledger(with_config, env(vars));
  ASSERT_EQ(from_config.exit_code, 0) << from_config.err;
  EXPECT_NE(from_config.out.find(" at sts.internal.tencentcloudapi.com "), std::string::npos) << from_config.out;
  vars["TENCENTCLOUD_DOMAIN"] = "internal.tencentcloudapi.com";
  const auto from_env = runTaskledger(args, env(vars));
  ASSERT_EQ(from_env.exit_code, 0) << from_env.err;
  EXPECT_NE(from_env.out.find(" at sts.internal.tencentcloudapi.com "), std::string::npos) << from_env.out;
}

TEST_F(CredentialsCommand, LanguageAndRootDomainAreChecked) {
  EXPECT_EQ(runTaskledger({"credentials", "--language", "fr"}, env()).exit_code, 2);
  EXPECT_EQ(runTaskledger({"credentials", "--root-domain", "not a domain"}, env()).exit_code, 2);
}

}  // namespace
}  // namespace taskledger
