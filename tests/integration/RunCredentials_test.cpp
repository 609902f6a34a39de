// `run` takes its keys from the credential chain: a profile set to the CVM instance role polls
// with the role's temporary keys from the metadata service (the local endpoint's, reached with
// --resolve), and a host with no credentials at all stops at once with one line.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/MockEndpointProcess.h"
#include "support/Process.h"
#include "support/TempDir.h"

namespace taskledger {
namespace {

using testing::MockEndpointProcess;
using testing::runProcess;
using testing::runTaskledger;
using testing::TempDir;

// Nothing of the developer's own credentials takes part.
testing::ProcessOptions bareEnv(const TempDir& dir) {
  return testing::withEnv({{"HOME", dir.file("home")}},
                          {"TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_TOKEN",
                           "TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_ROLE_ARN", "TENCENTCLOUD_ROLE_SESSION_NAME",
                           "TENCENTCLOUD_CREDENTIALS_FILE", "TENCENTCLOUD_CAM_ROLE_NAME", "TCCLI_PROFILE",
                           "TENCENTCLOUD_DOMAIN"});
}

class RunCredentials : public ::testing::Test {
 protected:
  void SetUp() override {
    auto gen = runProcess({TASKLEDGER_MOCK_BINARY, "generate", "--tasks", "30", "--regions", "ap-guangzhou", "--csv",
                           dir_.file("tasks.csv"), "--scenario", dir_.file("scenario.json"), "--mix", "succeed=1"});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0);
    ASSERT_EQ(runTaskledger({"import", dir_.file("tasks.csv"), "--db", db_}).exit_code, 0);
  }

  TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
};

TEST_F(RunCredentials, ACvmRoleProfilePollsWithTheInstanceRolesKeys) {
  const std::string port_file = dir_.file("metadata.port");
  MockEndpointProcess mock(dir_, {"ap-guangzhou"},
                           {"--scenario", dir_.file("scenario.json"), "--metadata-port", "0", "--metadata-port-file",
                            port_file});
  // Written just after the API's port, which the helper waited for; wait for the file itself.
  std::string metadata_port;
  for (int i = 0; i < 500 && metadata_port.empty(); ++i) {
    std::ifstream(port_file) >> metadata_port;
    if (metadata_port.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_FALSE(metadata_port.empty());
  std::filesystem::create_directories(dir_.path() / "home/.tccli");
  dir_.write("home/.tccli/default.credential", R"({"type": "cvm-role", "secretId": "AKIDstale", "secretKey": "stale"})");

  std::vector<std::string> args{"run", "--db", db_, "--until-done", "--max-duration", "2m", "--resolve",
                                "metadata.tencentyun.com:127.0.0.1:" + metadata_port};
  const auto flags = mock.runFlags();
  args.insert(args.end(), flags.begin(), flags.end());
  const auto r = runTaskledger(args, bareEnv(dir_));
  EXPECT_EQ(r.exit_code, 0) << r.err;

  SQLite::Database db(db_, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM tasks WHERE state = 'succeeded'").getInt64(), 30);
  const std::string stats = mock.stop();
  EXPECT_EQ(stats.find("AuthFailure"), std::string::npos) << stats;
  EXPECT_EQ(stats.find("AKIDstale"), std::string::npos) << stats;  // the file's keys were not used
  // The role's were, counted as the role's whatever temporary SecretId each carried.
  EXPECT_NE(stats.find("\"secret_id\":\"cvm-role:taskledger-cvm-role\""), std::string::npos) << stats;
}

TEST_F(RunCredentials, NoCredentialsAnywhereStopsWithOneLineNamingTheMetadataService) {
  const auto r = runTaskledger({"run", "--db", db_, "--resolve", "metadata.tencentyun.com:127.0.0.1:1"}, bareEnv(dir_));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no credentials for profile 'default'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/"), std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace taskledger
