// Issue 21's second figure, end to end: a `run` of a few hundred tasks on a TKE pod's own role,
// whose keys the local endpoint's STS hands out for 6 seconds only, while the test rotates the
// token file mid-run as the kubelet does (the endpoint then accepts the new token only). Every
// task resolves and the endpoint answers not one AuthFailure.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "support/MockEndpointProcess.h"
#include "support/Process.h"
#include "support/TempDir.h"

namespace taskledger {
namespace {

using testing::BackgroundProcess;
using testing::MockEndpointProcess;
using testing::runProcess;
using testing::runTaskledger;
using testing::TempDir;

constexpr int kTasks = 300;
const std::string kRoleArn = "qcs::cam::uin/100000000001:roleName/pod-poller";

std::size_t countOf(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(PodCredentialsRun, SixSecondPodKeysAndARotatedTokenFileSeeNoAuthFailure) {
  TempDir dir;
  const std::string db = dir.file("ledger.db");
  auto gen = runProcess({TASKLEDGER_MOCK_BINARY, "generate", "--tasks", std::to_string(kTasks), "--regions",
                         "ap-guangzhou", "--csv", dir.file("tasks.csv"), "--scenario", dir.file("scenario.json"),
                         "--mix", "succeed=1"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  ASSERT_EQ(runTaskledger({"init", "--db", db}).exit_code, 0);
  ASSERT_EQ(runTaskledger({"import", dir.file("tasks.csv"), "--db", db}).exit_code, 0);
  const std::string token = dir.write("token", "kubelet-token-1");
  // 20 requests a second at one host: the run lasts well beyond one key's 6 seconds.
  MockEndpointProcess mock(dir, {"ap-guangzhou"},
                           {"--scenario", dir.file("scenario.json"), "--sts-duration", "6s",
                            "--web-identity-token-file", token});

  std::vector<std::string> argv{TASKLEDGER_BINARY, "run", "--db", db, "--until-done", "--max-duration", "3m"};
  for (const auto& flags : {mock.runFlags(), mock.stsFlags()}) argv.insert(argv.end(), flags.begin(), flags.end());
  // Empty counts as unset: nothing of the developer's own credentials takes part.
  BackgroundProcess run(argv, dir.file("run.out"), dir.file("run.err"),
                        {{"HOME", dir.file("home")}, {"TENCENTCLOUD_SECRET_ID", ""}, {"TENCENTCLOUD_SECRET_KEY", ""},
                         {"TENCENTCLOUD_ROLE_ARN", ""}, {"TENCENTCLOUD_ASSUME_ROLE_ARN", ""}, {"TCCLI_PROFILE", ""},
                         {"TENCENTCLOUD_CREDENTIALS_FILE", ""}, {"TKE_REGION", "ap-guangzhou"},
                         {"TKE_PROVIDER_ID", "tke-oidc"}, {"TKE_WEB_IDENTITY_TOKEN_FILE", token},
                         {"TKE_ROLE_ARN", kRoleArn}});

  // Mid-run: once a third of the tasks are resolved (the event itself, polled in the ledger).
  long long resolved = 0;
  for (int i = 0; i < 6000 && resolved < kTasks / 3; ++i) {
    SQLite::Database ledger(db, SQLite::OPEN_READONLY);
    resolved = ledger.execAndGet("SELECT count(*) FROM tasks WHERE resolved_at IS NOT NULL").getInt64();
    if (resolved < kTasks / 3) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_GE(resolved, kTasks / 3) << testing::readFile(dir.file("run.err"));
  ASSERT_LT(resolved, kTasks) << "the run ended before the token could be rotated";
  // As the kubelet does: a new file moved into place; from now on only the new token is accepted.
  const std::size_t log_before = testing::readFile(mock.logFile()).size();
  dir.write("token.new", "kubelet-token-2");
  std::filesystem::rename(dir.file("token.new"), token);

  const auto code = run.wait(180'000);
  ASSERT_TRUE(code.has_value()) << "run did not end";
  EXPECT_EQ(*code, 0) << testing::readFile(dir.file("run.err"));
  SQLite::Database ledger(db, SQLite::OPEN_READONLY);
  EXPECT_EQ(ledger.execAndGet("SELECT count(*) FROM tasks WHERE state = 'succeeded'").getInt64(), kTasks);

  const std::string after_rotation = testing::readFile(mock.logFile()).substr(log_before);
  const std::string stats = mock.stop();
  EXPECT_EQ(stats.find("AuthFailure"), std::string::npos) << stats;
  EXPECT_EQ(stats.find("WebIdentityTokenError"), std::string::npos) << stats;
  // The keys were renewed with the new token after the rotation.
  EXPECT_GE(countOf(after_rotation, "sts:AssumeRoleWithWebIdentity"), 1u) << after_rotation.substr(0, 2000);
  const long long fetched = testing::jsonNumber(stats, "sts:AssumeRoleWithWebIdentity");
  std::printf("[ figure ] %d tasks on 6 s pod keys: %lld requests answered, %lld AssumeRoleWithWebIdentity calls "
              "(%zu after the token rotation), %zu AuthFailure\n",
              kTasks, testing::jsonNumber(stats, "requests"), fetched,
              countOf(after_rotation, "sts:AssumeRoleWithWebIdentity"), countOf(stats, "AuthFailure"));
  EXPECT_GE(fetched, 3) << stats;
}

}  // namespace
}  // namespace taskledger
