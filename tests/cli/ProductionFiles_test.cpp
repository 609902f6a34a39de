// The files an operator copies into production (scripts/): each is parsed and dry-run here, with
// its paths pointed at a temporary directory, so an example that stops working fails the build.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "support/MockEndpointProcess.h"
#include "support/Process.h"
#include "support/TempDir.h"

namespace taskledger {
namespace {

using testing::readFile;
using testing::runProcess;
using testing::TempDir;

std::string replaceAll(std::string s, const std::string& from, const std::string& to) {
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) s.replace(pos, from.size(), to);
  return s;
}

class ProductionFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    // The example configuration, with its state directory moved into the test's directory.
    std::string ini = replaceAll(readFile(script("taskledger.ini.example")), "/var/lib/taskledger", dir_.path().string());
    ini_ = dir_.write("taskledger.ini", ini);
    auto r = testing::runTaskledger({"--config", ini_, "init"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static std::string script(const std::string& name) { return std::string(TASKLEDGER_SOURCE_DIR) + "/scripts/" + name; }
  // A command line from a production file, pointed at the built binary and the test's paths.
  std::string localize(std::string cmd) const {
    cmd = replaceAll(cmd, "/usr/bin/taskledger", TASKLEDGER_BINARY);
    cmd = std::regex_replace(cmd, std::regex("(^|\\s)taskledger "), std::string("$1") + TASKLEDGER_BINARY + " ");
    cmd = replaceAll(cmd, "/etc/taskledger/taskledger.ini", ini_);
    return replaceAll(cmd, "/var/lib/taskledger", dir_.path().string());
  }
  testing::ProcessResult shell(const std::string& cmd) {
    return runProcess({"/bin/sh", "-c", cmd}, testing::withEnv({{"HOME", "/nonexistent"}}, {"TENCENTCLOUD_SECRET_ID"}));
  }

  TempDir dir_;
  std::string ini_;
};

TEST_F(ProductionFiles, ExampleConfigurationIsAcceptedByEveryCommand) {
  auto r = testing::runTaskledger({"--config", ini_, "run"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("nothing due"), std::string::npos) << r.err;
  auto rep = testing::runTaskledger({"--config", ini_, "report"});
  EXPECT_EQ(rep.exit_code, 0) << rep.err;
}

TEST_F(ProductionFiles, CrontabLinesAreWellFormedAndTheirCommandsRun) {
  std::istringstream in(readFile(script("taskledger.cron")));
  std::string line;
  int jobs = 0;
  std::regex job(R"(^(\S+\s+){5}root\s+(.*)$)");
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.find('=') < line.find(' ')) continue;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, job)) << line;
    ++jobs;
    // cron turns an unescaped % into a newline; the file escapes them as \%.
    std::string cmd = replaceAll(localize(m[2]), "\\%", "%");
    auto r = shell(cmd);
    // The report's --fail-on may match nothing (0); either way it must not be a usage error.
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 3) << cmd << "\n" << r.err;
  }
  EXPECT_EQ(jobs, 2);
}

TEST_F(ProductionFiles, SystemdServiceStartsARunAndTheTimerRepeatsIt) {
  std::string unit = readFile(script("taskledger.service"));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(unit, m, std::regex("\\nExecStart=(.*)\\n")));
  EXPECT_NE(unit.find("Type=oneshot"), std::string::npos);
  EXPECT_NE(unit.find("SuccessExitStatus=75"), std::string::npos);
  auto r = shell(localize(m[1]));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("\"event\":\"run.finish\""), std::string::npos) << r.err;
  std::string timer = readFile(script("taskledger.timer"));
  EXPECT_NE(timer.find("OnUnitActiveSec=5m"), std::string::npos);
  EXPECT_NE(timer.find("WantedBy=timers.target"), std::string::npos);
}

}  // namespace
}  // namespace taskledger
