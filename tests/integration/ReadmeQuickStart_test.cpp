// The README's quick start, command by command, against the local endpoint instead of the cloud:
// if the README and the program drift apart, this fails.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "support/MockEndpointProcess.h"
#include "support/Process.h"
#include "support/TempDir.h"

namespace taskledger {
namespace {

using testing::MockEndpointProcess;
using testing::readFile;
using testing::runProcess;
using testing::TempDir;

// The lines of the README's "Quick start" code block that run taskledger.
std::vector<std::string> quickStartCommands() {
  std::string readme = readFile(std::string(TASKLEDGER_SOURCE_DIR) + "/README.md");
  auto start = readme.find("## Quick start");
  auto block = readme.find("```sh", start);
  auto end = readme.find("```", block + 5);
  std::istringstream lines(readme.substr(block + 5, end - block - 5));
  std::vector<std::string> out;
  for (std::string line; std::getline(lines, line);) {
    line = std::regex_replace(line, std::regex("\\s+#.*$"), "");
    if (line.rfind("taskledger ", 0) == 0) out.push_back(line);
  }
  return out;
}

TEST(ReadmeQuickStart, EveryCommandWorksAsWritten) {
  TempDir dir;
  auto gen = runProcess({TASKLEDGER_MOCK_BINARY, "generate", "--tasks", "30", "--regions", "ap-guangzhou", "--csv",
                         dir.file("requests.csv"), "--scenario", dir.file("s.json"), "--mix", "succeed=0.8,fail=0.2"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  MockEndpointProcess mock(dir, {"ap-guangzhou", "ap-shanghai"}, {"--scenario", dir.file("s.json")});
  auto env = mock.credentialsEnv();
  env["TASKLEDGER_DB"] = dir.file("taskledger.db");
  std::string reach;
  for (const auto& f : mock.runFlags()) reach += " '" + f + "'";

  auto commands = quickStartCommands();
  ASSERT_GE(commands.size(), 6u);
  for (std::string cmd : commands) {
    cmd.replace(0, std::string("taskledger").size(), TASKLEDGER_BINARY);
    // The one difference from the cloud: how the endpoint is reached and trusted.
    if (cmd.find(" run") != std::string::npos) cmd += reach;
    testing::ProcessOptions o = testing::withEnv(env);
    o.cwd = dir.path().string();
    auto r = runProcess({"/bin/sh", "-c", cmd}, o);
    EXPECT_EQ(r.exit_code, 0) << cmd << "\n" << r.err;
  }
  EXPECT_NE(readFile(dir.file("report.html")).find("id=\"headline\""), std::string::npos);  // attention first
}

TEST(ReadmeQuickStart, BackupAndPruneLinesWork) {
  TempDir dir;
  std::string db = dir.file("ledger.db");
  ASSERT_EQ(testing::runTaskledger({"init", "--db", db}).exit_code, 0);
  ASSERT_EQ(testing::runTaskledger({"add", "55c85074-3e7f-4c6d-864f-673660d4f8de", "--region", "ap-guangzhou", "--db", db}).exit_code, 0);
  std::string readme = readFile(std::string(TASKLEDGER_SOURCE_DIR) + "/README.md");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(readme, m, std::regex("`(sqlite3 [^`]*\\.backup[^`]*)`")));
  std::string backup = std::regex_replace(m[1].str(), std::regex("/var/lib/taskledger/ledger.db"), db);
  backup = std::regex_replace(backup, std::regex("/backup/"), dir.path().string() + "/");
  auto r = runProcess({"/bin/sh", "-c", backup});
  EXPECT_EQ(r.exit_code, 0) << backup << "\n" << r.err;
  ASSERT_TRUE(std::regex_search(readme, m, std::regex("`taskledger (prune [^`]*)`")));
  auto p = runProcess({"/bin/sh", "-c", std::string(TASKLEDGER_BINARY) + " --db " + db + " " + m[1].str()});
  EXPECT_EQ(p.exit_code, 0) << p.err;
}

}  // namespace
}  // namespace taskledger
