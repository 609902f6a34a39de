// `discover` and `wait` on a terminal show one progress line rewritten in place; with stdout and
// stderr not a terminal (cron, pipes) they print nothing beyond their own lines. The terminal is
// a pseudo-terminal (forkpty), read to the child's end.
#include <gtest/gtest.h>

#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "report/TestLedger.h"
#include "support/MockEndpointProcess.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "taskledger/mock/AuditEventGenerator.h"

namespace taskledger {
namespace {

using testing::runTaskledger;

// Runs the binary with stdin, stdout and stderr on a new pseudo-terminal; everything it wrote.
std::string runOnTerminal(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  if (pid == 0) {
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv{const_cast<char*>(TASKLEDGER_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(TASKLEDGER_BINARY, argv.data());
    ::_exit(127);
  }
  std::string out;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    pollfd p{master, POLLIN, 0};
    if (::poll(&p, 1, 1000) < 0 || std::chrono::steady_clock::now() > give_up) break;
    char buf[4096];
    const ssize_t n = ::read(master, buf, sizeof buf);
    if (n > 0) out.append(buf, static_cast<std::size_t>(n));
    else if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) break;  // EIO: the child is gone
  }
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return out;
}

class WaitProgress : public ::testing::Test {
 protected:
  WaitProgress() {
    EXPECT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0);
    store::Database db(db_);
    testing::insertTask(db, testing::LedgerTask(7, "2026-03-10T08:00:00.000Z").attempts(3));
  }
  testing::TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
  std::map<std::string, std::string> env_{{"TENCENTCLOUD_SECRET_ID", "AKIDtest"}, {"TENCENTCLOUD_SECRET_KEY", "k"}};
};

TEST_F(WaitProgress, OnATerminalShowsIdsLeftAndChecksMadeOnOneRewrittenLine) {
  const std::string out = runOnTerminal({"wait", testing::requestId(7), "--db", db_}, env_);
  EXPECT_NE(out.find("\r\033[Kwait: 0 of 1 ids left, 3 checks made"), std::string::npos) << out;
  EXPECT_NE(out.find("succeeded " + testing::requestId(7)), std::string::npos) << out;
}

TEST_F(WaitProgress, OffATerminalPrintsNothingExtra) {
  auto r = runTaskledger({"wait", testing::requestId(7), "--db", db_}, testing::withEnv(env_));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "succeeded " + testing::requestId(7) + " (ap-guangzhou)\n");
  EXPECT_EQ(r.err, "");
}

class DiscoverProgress : public ::testing::Test {
 protected:
  void SetUp() override {
    mock::GeneratorOptions o;
    o.tasks = 120;
    o.regions = {"ap-guangzhou"};
    o.mix = {{"succeed", 1.0}};
    o.seed = 5;
    o.now = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
    const auto events = mock::generateAuditEvents(mock::generateScenario(o), {120, 5});
    std::ofstream(dir_.file("events.json")) << events.json;
    ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0);
    mock_ = std::make_unique<testing::MockEndpointProcess>(dir_, std::vector<std::string>{},
                                                           std::vector<std::string>{"--events", dir_.file("events.json")});
  }
  std::vector<std::string> args() {
    std::vector<std::string> a{"discover", "--db", db_};
    for (const auto& f : mock_->discoverFlags()) a.push_back(f);
    return a;
  }
  testing::TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
  std::unique_ptr<testing::MockEndpointProcess> mock_;
};

TEST_F(DiscoverProgress, OnATerminalShowsPagesEventsAndTasksOnOneRewrittenLine) {
  const std::string out = runOnTerminal(args(), mock_->credentialsEnv());
  EXPECT_NE(out.find("\r\033[Kdiscover: 1 pages read, "), std::string::npos) << out;
  EXPECT_NE(out.find(" tasks found ("), std::string::npos) << out;
  // The line is ended before the summary, which stays on a line of its own.
  EXPECT_NE(out.find(" new)\r\ndiscovered "), std::string::npos) << out;
}

TEST_F(DiscoverProgress, OffATerminalPrintsNothingExtra) {
  auto r = runTaskledger(args(), testing::withEnv(mock_->credentialsEnv()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find('\r'), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out.rfind("discovered ", 0), 0u) << r.out;
}

}  // namespace
}  // namespace taskledger
