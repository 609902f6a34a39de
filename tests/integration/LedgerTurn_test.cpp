// Issue 20 items 1 and 4, through the real binary: cron's run waits its turn while a `wait` holds
// the ledger for a moment instead of exiting 75, and one discover at a time per ledger, apart
// from the run lock.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <optional>
#include <thread>

#include "support/MockEndpointProcess.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "taskledger/scheduler/RunLock.h"

namespace taskledger {
namespace {

using scheduler::LockPurpose;
using scheduler::RunLock;
using testing::BackgroundProcess;
using testing::readFile;
using testing::runTaskledger;
using testing::TempDir;

class LedgerTurn : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0); }

  // Until `file` says `text` (the command under test has reached that point), or 60 s.
  bool saidYet(const std::string& file, const std::string& text) {
    for (int i = 0; i < 6000; ++i) {
      if (readFile(file).find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
};

TEST_F(LedgerTurn, CronsRunWaitsWhileAWaitHoldsTheLedgerThenTakesItsTurn) {
  std::string holder;
  std::optional<RunLock> held = RunLock::tryAcquire(db_, holder);  // as a wait asking for its ids
  ASSERT_TRUE(held.has_value());
  BackgroundProcess run({TASKLEDGER_BINARY, "run", "--db", db_, "--lock-wait", "2m"}, "", dir_.file("run.err"));
  ASSERT_TRUE(saidYet(dir_.file("run.err"), "for its turn")) << readFile(dir_.file("run.err"));
  EXPECT_NE(readFile(dir_.file("run.err")).find("pid " + std::to_string(::getpid())), std::string::npos);
  held.reset();  // the wait is done asking
  EXPECT_EQ(run.wait(60'000), 0) << readFile(dir_.file("run.err"));
}

TEST_F(LedgerTurn, SigtermEndsARunWaitingForItsTurn) {
  std::string holder;
  auto held = RunLock::tryAcquire(db_, holder);
  ASSERT_TRUE(held.has_value());
  BackgroundProcess run({TASKLEDGER_BINARY, "run", "--db", db_, "--lock-wait", "10m"}, "", dir_.file("run.err"));
  ASSERT_TRUE(saidYet(dir_.file("run.err"), "for its turn")) << readFile(dir_.file("run.err"));
  run.signal(SIGTERM);
  EXPECT_EQ(run.wait(5'000), 143) << readFile(dir_.file("run.err"));
}

TEST_F(LedgerTurn, ARunToldNotToWaitExits75NamingTheHolder) {
  std::string holder;
  auto held = RunLock::tryAcquire(db_, holder);
  ASSERT_TRUE(held.has_value());
  auto r = runTaskledger({"run", "--db", db_, "--lock-wait", "0s"});
  EXPECT_EQ(r.exit_code, 75) << r.err;
  EXPECT_NE(r.err.find("pid " + std::to_string(::getpid())), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("try later"), std::string::npos) << r.err;
}

TEST_F(LedgerTurn, OneDiscoverAtATimePerLedgerAndARunGoesOnBesideIt) {
  std::string holder;
  auto held = RunLock::tryAcquire(db_, holder, LockPurpose::Discover);
  ASSERT_TRUE(held.has_value());
  std::filesystem::create_symlink(db_, dir_.file("link.db"));
  auto second = runTaskledger({"discover", "--db", dir_.file("link.db"), "--lock-wait", "0s"});
  EXPECT_EQ(second.exit_code, 75) << second.err;
  EXPECT_NE(second.err.find("another discover holds"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("pid " + std::to_string(::getpid())), std::string::npos) << second.err;
  // The run lock is another lock: cron's run is not held up by a discover.
  auto run = runTaskledger({"run", "--db", db_, "--lock-wait", "0s"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
}

TEST_F(LedgerTurn, DiscoverCreatesNoLedger) {
  auto r = runTaskledger({"discover", "--db", dir_.file("typo.db")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.file("typo.db")));
}

}  // namespace
}  // namespace taskledger
