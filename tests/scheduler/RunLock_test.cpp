// One run per ledger file, whatever name it is reached by (issue 14: a run through a symlink ran
// beside one through the real name, and 44 tasks were asked twice).
#include "taskledger/scheduler/RunLock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/TempDir.h"

namespace taskledger::scheduler {
namespace {

using taskledger::testing::TempDir;

TEST(RunLock, EveryNameOfTheLedgerMeetsTheSameLock) {
  TempDir dir;
  const std::string ledger = dir.write("l.db", "x");
  std::filesystem::create_symlink(ledger, dir.file("link.db"));
  ASSERT_EQ(::link(ledger.c_str(), dir.file("hard.db").c_str()), 0);
  std::string holder;
  auto held = RunLock::tryAcquire(ledger, holder);
  ASSERT_TRUE(held.has_value());
  for (const std::string& name : {dir.file("link.db"), dir.file("hard.db"), dir.path().string() + "/./l.db"}) {
    std::string who;
    EXPECT_FALSE(RunLock::tryAcquire(name, who).has_value()) << name;
    // The holder's description sits beside the ledger's real path; a hard link has its own.
    if (name != dir.file("hard.db")) {
      EXPECT_NE(who.find("pid " + std::to_string(::getpid())), std::string::npos) << who;
    }
  }
}

TEST(RunLock, AReleasedLockCanBeTakenAgainThroughAnyName) {
  TempDir dir;
  const std::string ledger = dir.write("l.db", "x");
  std::filesystem::create_symlink(ledger, dir.file("link.db"));
  std::string holder;
  { auto first = RunLock::tryAcquire(dir.file("link.db"), holder); ASSERT_TRUE(first.has_value()); }
  EXPECT_TRUE(RunLock::tryAcquire(ledger, holder).has_value());
  EXPECT_EQ(RunLock::describingFile(dir.file("link.db")), ledger + ".lock");
}

}  // namespace
}  // namespace taskledger::scheduler
