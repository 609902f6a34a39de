// `discover` takes its keys from run's credential chain, whole: a role named in the environment is
// assumed through STS, a tccli file that says cvm-role gives the metadata service's keys, and a
// TKE pod's own role comes from AssumeRoleWithWebIdentity; each checked by the local endpoint.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/MockEndpointProcess.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "taskledger/mock/AuditEventGenerator.h"

namespace taskledger {
namespace {

using testing::MockEndpointProcess;
using testing::runTaskledger;
using testing::TempDir;

const std::string kRoleArn = "qcs::cam::uin/100000000001:roleName/discoverer";

// Nothing of the developer's own credentials takes part.
testing::ProcessOptions bareEnv(std::map<std::string, std::string> vars) {
  return testing::withEnv(std::move(vars),
                          {"TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_TOKEN",
                           "TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_ROLE_ARN",
                           "TENCENTCLOUD_ROLE_SESSION_NAME", "TENCENTCLOUD_ASSUME_ROLE_ARN",
                           "TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME", "TENCENTCLOUD_CREDENTIALS_FILE",
                           "TENCENTCLOUD_CAM_ROLE_NAME", "TCCLI_PROFILE", "TENCENTCLOUD_DOMAIN", "TKE_REGION",
                           "TKE_PROVIDER_ID", "TKE_WEB_IDENTITY_TOKEN_FILE", "TKE_ROLE_ARN"});
}

class DiscoverCredentials : public ::testing::Test {
 protected:
  void SetUp() override {
    mock::GeneratorOptions o;
    o.tasks = 40;
    o.regions = {"ap-guangzhou"};
    o.mix = {{"succeed", 1.0}};
    o.seed = 5;
    o.now = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
    events_ = mock::generateAuditEvents(mock::generateScenario(o), {40, 5});
    std::ofstream(dir_.file("events.json")) << events_.json;
    ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0);
  }

  void serve(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--events", dir_.file("events.json")};
    args.insert(args.end(), extra.begin(), extra.end());
    mock_ = std::make_unique<MockEndpointProcess>(dir_, std::vector<std::string>{}, args);
  }

  testing::ProcessResult discover(std::map<std::string, std::string> env, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"discover", "--db", db_};
    for (const auto& flags : {mock_->discoverFlags(), mock_->stsFlags(), extra}) args.insert(args.end(), flags.begin(), flags.end());
    env.emplace("HOME", dir_.file("home"));
    return runTaskledger(args, bareEnv(env));
  }

  long long tasks() {
    SQLite::Database db(db_);
    return db.execAndGet("SELECT count(*) FROM tasks").getInt64();
  }

  // The port the metadata route listens on, once the mock has written it.
  std::string metadataPort(const std::string& port_file) {
    std::string port;
    for (int i = 0; i < 500 && port.empty(); ++i) {
      std::ifstream(port_file) >> port;
      if (port.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return port;
  }

  TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
  mock::GeneratedEvents events_;
  std::unique_ptr<MockEndpointProcess> mock_;
};

TEST_F(DiscoverCredentials, ARoleInTheEnvironmentIsAssumedAsForRun) {
  serve();
  const auto r = discover({{"TENCENTCLOUD_SECRET_ID", MockEndpointProcess::kSecretId},
                           {"TENCENTCLOUD_SECRET_KEY", MockEndpointProcess::kSecretKey},
                           {"TENCENTCLOUD_ROLE_ARN", kRoleArn},
                           {"TENCENTCLOUD_ROLE_SESSION_NAME", "cron"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(tasks(), static_cast<long long>(events_.expected.size()));
  const std::string stats = mock_->stop();
  EXPECT_EQ(testing::jsonNumber(stats, "sts:AssumeRole"), 1) << stats;
  // CloudAudit was asked with the role's keys, not the long-term ones.
  EXPECT_NE(stats.find("\"secret_id\":\"role:" + kRoleArn + "\""), std::string::npos) << stats;
  EXPECT_EQ(stats.find("AuthFailure"), std::string::npos) << stats;
}

TEST_F(DiscoverCredentials, ACvmRoleTccliFileUsesTheMetadataServicesKeys) {
  const std::string port_file = dir_.file("metadata.port");
  serve({"--metadata-port", "0", "--metadata-port-file", port_file});
  const std::string port = metadataPort(port_file);
  ASSERT_FALSE(port.empty());
  std::filesystem::create_directories(dir_.path() / "home/.tccli");
  dir_.write("home/.tccli/default.credential", R"({"type": "cvm-role", "secretId": "AKIDstale", "secretKey": "stale"})");
  const auto r = discover({}, {"--resolve", "metadata.tencentyun.com:127.0.0.1:" + port});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(tasks(), static_cast<long long>(events_.expected.size()));
  const std::string stats = mock_->stop();
  EXPECT_NE(stats.find("\"secret_id\":\"cvm-role:taskledger-cvm-role\""), std::string::npos) << stats;
  EXPECT_EQ(stats.find("AuthFailure"), std::string::npos) << stats;
}

TEST_F(DiscoverCredentials, ATkePodsOwnRoleIsUsed) {
  const std::string token = dir_.write("token", "oidc-token");
  serve({"--web-identity-token-file", token});
  const auto r = discover({{"TKE_REGION", "ap-guangzhou"},
                           {"TKE_PROVIDER_ID", "provider"},
                           {"TKE_WEB_IDENTITY_TOKEN_FILE", token},
                           {"TKE_ROLE_ARN", kRoleArn}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(tasks(), static_cast<long long>(events_.expected.size()));
  const std::string stats = mock_->stop();
  EXPECT_EQ(testing::jsonNumber(stats, "sts:AssumeRoleWithWebIdentity"), 1) << stats;
  EXPECT_NE(stats.find("\"secret_id\":\"role:" + kRoleArn + "\""), std::string::npos) << stats;
}

}  // namespace
}  // namespace taskledger
