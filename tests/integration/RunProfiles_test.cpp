// One `run` over a ledger of several accounts, against the local endpoint: each profile signs
// with the keys of its own tccli credential file, a profile whose keys are refused is named and
// skipped while the others finish, the exit code is the worst, and `--profile P` runs P alone.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <filesystem>

#include "taskledger/mock/MockStats.h"

#include "support/MockEndpointProcess.h"
#include "support/Process.h"
#include "support/TempDir.h"

namespace taskledger {
namespace {

using testing::MockEndpointProcess;
using testing::readFile;
using testing::runProcess;
using testing::runTaskledger;
using testing::TempDir;

constexpr const char* kAlphaId = "AKIDalphaPROFILE00000000000000000";
constexpr const char* kAlphaKey = "alpha-canary-key-never-printed";
constexpr const char* kBetaId = "AKIDbetaPROFILE000000000000000000";
constexpr const char* kBetaKey = "beta-canary-key-never-printed";
constexpr const char* kGammaKey = "gamma-wrong-key-never-printed";

class RunProfiles : public ::testing::Test {
 protected:
  void SetUp() override {
    auto gen = runProcess({TASKLEDGER_MOCK_BINARY, "generate", "--tasks", "20", "--regions", "ap-guangzhou", "--csv",
                           dir_.file("tasks.csv"), "--scenario", dir_.file("scenario.json"), "--mix", "succeed=1"});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0);
    // The same request ids under three accounts: the ledger keeps one task per (profile, id).
    for (const char* profile : {"alpha", "beta", "gamma"}) {
      auto imp = runTaskledger({"import", dir_.file("tasks.csv"), "--db", db_, "--profile", profile});
      ASSERT_EQ(imp.exit_code, 0) << imp.err;
    }
    std::filesystem::create_directories(dir_.path() / "home/.tccli");
    writeCredential("alpha", kAlphaId, kAlphaKey);
    writeCredential("beta", kBetaId, kBetaKey);
    writeCredential("gamma", kAlphaId, kGammaKey);  // a key the endpoint refuses
    mock_ = std::make_unique<MockEndpointProcess>(
        dir_, std::vector<std::string>{"ap-guangzhou"},
        std::vector<std::string>{"--scenario", dir_.file("scenario.json"), "--secret-id", kAlphaId, "--secret-key",
                                 kAlphaKey, "--secret-id", kBetaId, "--secret-key", kBetaKey});
  }

  void writeCredential(const std::string& profile, const std::string& id, const std::string& key) {
    dir_.write("home/.tccli/" + profile + ".credential",
               R"({"secretId": ")" + id + R"(", "secretKey": ")" + key + R"("})");
    std::filesystem::permissions(dir_.file("home/.tccli/" + profile + ".credential"),
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }

  testing::ProcessResult run(std::vector<std::string> extra) {
    std::vector<std::string> args{"run", "--db", db_, "--until-done", "--max-duration", "2m"};
    const auto flags = mock_->runFlags();
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), extra.begin(), extra.end());
    // Only the files of the temporary home: none of the developer's credentials take part.
    return runTaskledger(args, testing::withEnv({{"HOME", dir_.file("home")}},
                                                {"TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_TOKEN",
                                                 "TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_ROLE_ARN",
                                                 "TENCENTCLOUD_ROLE_SESSION_NAME", "TENCENTCLOUD_CREDENTIALS_FILE",
                                                 "TENCENTCLOUD_CAM_ROLE_NAME", "TCCLI_PROFILE", "TENCENTCLOUD_DOMAIN"}));
  }

  long long count(const std::string& sql) {
    SQLite::Database db(db_, SQLite::OPEN_READONLY);
    return db.execAndGet(sql).getInt64();
  }

  TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
  std::unique_ptr<MockEndpointProcess> mock_;
};

TEST_F(RunProfiles, EachProfileUsesItsOwnKeysTheRefusedOneIsSkippedAndTheExitIsTheWorst) {
  const std::string metrics = dir_.file("taskledger.prom");
  const auto r = run({"--metrics-file", metrics});
  EXPECT_EQ(r.exit_code, 77) << r.err;

  EXPECT_EQ(count("SELECT count(*) FROM tasks WHERE profile = 'alpha' AND state = 'succeeded'"), 20);
  EXPECT_EQ(count("SELECT count(*) FROM tasks WHERE profile = 'beta' AND state = 'succeeded'"), 20);
  EXPECT_EQ(count("SELECT count(*) FROM tasks WHERE profile = 'gamma' AND state = 'pending'"), 20);
  // One run record per profile, under its name, gamma's saying why it ended.
  EXPECT_EQ(count("SELECT count(*) FROM runs WHERE profile = 'alpha' AND exit_reason = 'done'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM runs WHERE profile = 'beta' AND exit_reason = 'done'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM runs WHERE profile = 'gamma' AND exit_reason LIKE '%AuthFailure%'"), 1);

  // The operator is told which profile failed, and the outcome of each.
  EXPECT_NE(r.err.find("run [gamma]: AuthFailure"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("3 profiles: alpha done (exit 0), beta done (exit 0), gamma AuthFailure"), std::string::npos)
      << r.err;
  for (const char* key : {kAlphaKey, kBetaKey, kGammaKey}) EXPECT_EQ(r.err.find(key), std::string::npos);

  // Both accounts' keys signed requests (the endpoint counts per SecretId).
  const std::string stats = mock_->stop();
  EXPECT_NE(stats.find(std::string("\"secret_id\":\"") + kAlphaId), std::string::npos) << stats;
  EXPECT_NE(stats.find(std::string("\"secret_id\":\"") + kBetaId), std::string::npos) << stats;

  const std::string text = readFile(metrics);
  EXPECT_NE(text.find("taskledger_tasks{profile=\"alpha\",state=\"succeeded\"} 20"), std::string::npos) << text;
  EXPECT_NE(text.find("taskledger_tasks{profile=\"beta\",state=\"succeeded\"} 20"), std::string::npos) << text;
  EXPECT_NE(text.find("taskledger_last_run_exit_code{profile=\"gamma\"} 77"), std::string::npos) << text;
  // The format allows one HELP line per metric, whatever the number of profiles.
  EXPECT_EQ(text.find("# HELP taskledger_tasks "), text.rfind("# HELP taskledger_tasks "));
}

TEST_F(RunProfiles, NamingAProfileRunsThatProfileAlone) {
  const auto r = run({"--profile", "beta"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count("SELECT count(*) FROM tasks WHERE profile = 'beta' AND state = 'succeeded'"), 20);
  EXPECT_EQ(count("SELECT count(*) FROM tasks WHERE profile <> 'beta' AND state = 'pending'"), 40);
  EXPECT_EQ(count("SELECT count(*) FROM runs WHERE profile <> 'beta'"), 0);
}

// Issue 23 item 1, the figure: two accounts of 400 tasks at one host, 100 ms latency, each at its
// own 20/s (Tencent counts per sub-account and host; the endpoint keys its windows by SecretId
// and Host). One account alone needs 20 s; one after the other they took 40 s.
class RunProfilesAtFullRate : public RunProfiles {
 protected:
  void SetUp() override {
    auto gen = runProcess({TASKLEDGER_MOCK_BINARY, "generate", "--tasks", "400", "--regions", "ap-guangzhou", "--csv",
                           dir_.file("tasks.csv"), "--scenario", dir_.file("scenario.json"), "--mix", "succeed=1"});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0);
    for (const char* profile : {"alpha", "beta"}) {
      auto imp = runTaskledger({"import", dir_.file("tasks.csv"), "--db", db_, "--profile", profile});
      ASSERT_EQ(imp.exit_code, 0) << imp.err;
    }
    std::filesystem::create_directories(dir_.path() / "home/.tccli");
    writeCredential("alpha", kAlphaId, kAlphaKey);
    writeCredential("beta", kBetaId, kBetaKey);
    mock_ = std::make_unique<MockEndpointProcess>(
        dir_, std::vector<std::string>{"ap-guangzhou"},
        std::vector<std::string>{"--scenario", dir_.file("scenario.json"), "--rate", "20", "--latency", "100ms",
                                 "--secret-id", kAlphaId, "--secret-key", kAlphaKey, "--secret-id", kBetaId,
                                 "--secret-key", kBetaKey});
  }
};

TEST_F(RunProfilesAtFullRate, TwoAccountsAtOneHostEachGoAtTheirOwnRateWithNoRequestRefused) {
  const auto started = std::chrono::steady_clock::now();
  const auto r = run({});
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count("SELECT count(*) FROM tasks WHERE state = 'succeeded'"), 800);
  // A generous bound on "ends within": 1.5x one account's 20 s; one after the other is 40 s.
  EXPECT_LT(seconds, 30.0);

  const auto stats = mock::MockStats::fromJson(mock_->stop());
  EXPECT_EQ(stats.rate_limited, 0u);
  ASSERT_EQ(stats.by_key.size(), 2u);  // one window per (SecretId, Host)
  for (const auto& key : stats.by_key) {
    EXPECT_EQ(key.requests, 400u) << key.secret_id;
    EXPECT_LE(key.max_arrivals_1s, 20) << key.secret_id;
  }
  EXPECT_GT(stats.max_arrivals_1s, 20);  // the host as a whole saw both accounts at once
}

}  // namespace
}  // namespace taskledger
