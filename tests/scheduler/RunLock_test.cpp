// One run per ledger file, whatever name it is reached by (issue 14: a run through a symlink ran
// beside one through the real name, and 44 tasks were asked twice), and a lock that never drops
// SQLite's own (issue 20: `wait` opened and closed the ledger for each try of the run lock beside
// its open connection, which dropped SQLite's POSIX locks; runs beside it died with "database
// disk image is malformed").
#include "taskledger/scheduler/RunLock.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/TempDir.h"

namespace taskledger::scheduler {
namespace {

using taskledger::testing::TempDir;

// Whether another process can take the lock through `name` now (a child tries and tells).
bool anotherProcessGets(const std::string& name, LockPurpose purpose = LockPurpose::Run) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::string holder;
    ::_exit(RunLock::tryAcquire(name, holder, purpose).has_value() ? 0 : 1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// The POSIX (fcntl) locks this process holds on `path`, as /proc/locks lists them: SQLite's.
int posixLocksHeldOn(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  std::ifstream in("/proc/locks");
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string number, kind, advisory, mode, pid, where;
    fields >> number >> kind;
    if (kind == "->") fields >> kind;  // a waiter
    fields >> advisory >> mode >> pid >> where;
    const auto inode = where.substr(where.rfind(':') + 1);
    if (kind == "POSIX" && pid == std::to_string(::getpid()) && inode == std::to_string(st.st_ino)) ++n;
  }
  return n;
}

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
    EXPECT_EQ(who, "this process") << name;
    EXPECT_FALSE(anotherProcessGets(name)) << name;
  }
  // The holder's description sits beside the ledger's real path, for the second process's message.
  std::ifstream described(RunLock::describingFile(dir.file("link.db")));
  std::string line;
  std::getline(described, line);
  EXPECT_NE(line.find("pid " + std::to_string(::getpid())), std::string::npos) << line;
}

TEST(RunLock, AReleasedLockCanBeTakenAgainThroughAnyName) {
  TempDir dir;
  const std::string ledger = dir.write("l.db", "x");
  std::filesystem::create_symlink(ledger, dir.file("link.db"));
  std::string holder;
  { auto first = RunLock::tryAcquire(dir.file("link.db"), holder); ASSERT_TRUE(first.has_value()); }
  EXPECT_TRUE(anotherProcessGets(ledger));
  EXPECT_TRUE(RunLock::tryAcquire(ledger, holder).has_value());
  EXPECT_EQ(RunLock::describingFile(dir.file("link.db")), ledger + ".lock");
}

TEST(RunLock, TakingAndLettingGoBesideAnOpenConnectionKeepsSqlitesLocks) {
  TempDir dir;
  const std::string ledger = dir.file("l.db");
  SQLite::Database db(ledger, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
  db.exec("BEGIN");
  ASSERT_EQ(db.execAndGet("SELECT count(*) FROM t").getInt(), 1);  // a read transaction: a shared lock
  const int before = posixLocksHeldOn(ledger);
  ASSERT_GT(before, 0) << "SQLite holds no lock to keep";
  std::string holder;
  for (int i = 0; i < 3; ++i) {
    { auto run = RunLock::tryAcquire(ledger, holder); ASSERT_TRUE(run.has_value()); }
    { auto discover = RunLock::tryAcquire(ledger, holder, LockPurpose::Discover); ASSERT_TRUE(discover.has_value()); }
  }
  auto held = RunLock::tryAcquire(ledger, holder);
  ASSERT_TRUE(held.has_value());
  EXPECT_FALSE(anotherProcessGets(ledger));  // a refused try elsewhere closes nothing here either
  EXPECT_EQ(posixLocksHeldOn(ledger), before) << "letting the run lock go dropped SQLite's locks";
  db.exec("COMMIT");
}

TEST(RunLock, DiscoverHasItsOwnLockApartFromTheRunLock) {
  TempDir dir;
  const std::string ledger = dir.write("l.db", "x");
  std::filesystem::create_symlink(ledger, dir.file("link.db"));
  std::string holder;
  auto discover = RunLock::tryAcquire(ledger, holder, LockPurpose::Discover);
  ASSERT_TRUE(discover.has_value());
  EXPECT_FALSE(anotherProcessGets(dir.file("link.db"), LockPurpose::Discover));
  EXPECT_TRUE(anotherProcessGets(ledger, LockPurpose::Run));  // a run goes on beside a discover
  EXPECT_EQ(RunLock::describingFile(ledger, LockPurpose::Discover), ledger + ".discover.lock");
}

TEST(RunLock, AcquireWaitsItsTurnAndGivesUpWhenStillHeld) {
  TempDir dir;
  const std::string ledger = dir.write("l.db", "x");
  std::string holder;
  // Held by another process that lets go once told: acquire() takes its turn then.
  int go[2];
  ASSERT_EQ(::pipe(go), 0);
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::string who;
    auto lock = RunLock::tryAcquire(ledger, who);
    char c = lock ? 'y' : 'n';
    if (::write(ready[1], &c, 1) != 1) ::_exit(2);
    if (::read(go[0], &c, 1) != 1) ::_exit(2);
    ::_exit(0);  // exiting lets the lock go
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');
  EXPECT_FALSE(RunLock::acquire(ledger, Millis(0), holder).has_value());
  EXPECT_NE(holder.find("pid " + std::to_string(pid)), std::string::npos) << holder;
  ASSERT_EQ(::write(go[1], "x", 1), 1);
  EXPECT_TRUE(RunLock::acquire(ledger, Millis(60'000), holder).has_value());
  int status = 0;
  ::waitpid(pid, &status, 0);
}

}  // namespace
}  // namespace taskledger::scheduler
