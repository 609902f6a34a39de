// The taskledger-mock binary as scripts use it.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "mock/MockTestSupport.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "taskledger/mock/MockStats.h"
#include "taskledger/mock/Scenario.h"
#include "taskledger/mock/TestCertificates.h"

namespace taskledger::mock {
namespace {

using taskledger::testing::BackgroundProcess;
using taskledger::testing::runProcess;
using taskledger::testing::TempDir;

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(MockCli, GenerateWritesAMatchingCsvAndScenario) {
  TempDir dir;
  auto r = runProcess({TASKLEDGER_MOCK_BINARY, "generate", "--tasks", "300", "--regions", "ap-guangzhou,ap-shanghai",
                       "--csv", dir.file("t.csv"), "--scenario", dir.file("s.json"), "--seed", "3", "--mix",
                       "succeed=0.8,unknown=0.2", "--checks-each", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote 300 tasks"), std::string::npos) << r.out;
  Scenario s = Scenario::loadFile(dir.file("s.json"));
  std::istringstream csv(slurp(dir.file("t.csv")));
  std::string line;
  std::getline(csv, line);
  int rows = 0, unknown = 0;
  while (std::getline(csv, line)) {
    ++rows;
    std::string id = line.substr(0, line.find(','));
    std::string region = line.substr(id.size() + 1, line.find(',', id.size() + 1) - id.size() - 1);
    auto it = s.tasks.find(id);
    if (it == s.tasks.end()) {
      ++unknown;
      continue;
    }
    EXPECT_EQ(it->second.region, region);
    EXPECT_EQ(it->second.statuses, (std::vector<int>{2, 0}));
  }
  EXPECT_EQ(rows, 300);
  EXPECT_EQ(static_cast<std::size_t>(unknown), s.unknown_ids.size());
  EXPECT_GT(unknown, 0);
}

TEST(MockCli, BadUsageExitsTwoWithAMessage) {
  auto r = runProcess({TASKLEDGER_MOCK_BINARY, "serve", "--cert", "x.pem"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--key"), std::string::npos) << r.err;
  r = runProcess({TASKLEDGER_MOCK_BINARY, "generate", "--tasks", "ten"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--tasks"), std::string::npos) << r.err;
  r = runProcess({TASKLEDGER_MOCK_BINARY, "serve", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--port-file"), std::string::npos);
}

TEST(MockCli, ServeWritesItsPortAnswersAndWritesStatsOnSigterm) {
  TempDir dir;
  auto certs = generateTestCertificates(dir.file("certs"));
  const std::string port_file = dir.file("port"), stats_file = dir.file("stats.json");
  const std::string secret_key = "canary-secret-key-for-mock-cli";
  BackgroundProcess server({TASKLEDGER_MOCK_BINARY, "serve", "--port", "0", "--port-file", port_file, "--cert",
                            certs.server_cert, "--key", certs.server_key, "--default-status", "0", "--stats-file",
                            stats_file, "--secret-id", "AKIDcli", "--secret-key", secret_key},
                           dir.file("out"), dir.file("err"));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!std::filesystem::exists(port_file) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // waiting on another process
  }
  ASSERT_TRUE(std::filesystem::exists(port_file)) << slurp(dir.file("err"));
  int port = std::stoi(slurp(port_file));
  testing::TestClient client(port, certs.ca_cert);
  testing::CallOptions o;
  o.creds = {"AKIDcli", secret_key, ""};
  EXPECT_EQ(client.call("0b9a4f5e-1f7c-4f44-9a0e-2f2f7d1c6a10", o).seen(), "status:0");
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(10000), 0);
  MockStats s = MockStats::fromJson(slurp(stats_file));
  EXPECT_EQ(s.requests, 1u);
  EXPECT_EQ(s.outcomes["status:0"], 1u);
  const std::string out = slurp(dir.file("out")) + slurp(dir.file("err"));
  EXPECT_NE(out.find("listening on https://127.0.0.1:" + std::to_string(port)), std::string::npos) << out;
  EXPECT_EQ(out.find(secret_key), std::string::npos) << "the secret never appears in output";
}

}  // namespace
}  // namespace taskledger::mock
