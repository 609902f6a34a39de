// Operator mistakes and odd inputs (issue 14): each was reproduced against the landed build and
// either destroyed the ledger, locked out cron, or ended in a clean-looking wrong answer.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <optional>

#include "support/MockEndpointProcess.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "taskledger/scheduler/RunLock.h"

namespace taskledger {
namespace {

using testing::ProcessOptions;
using testing::ProcessResult;
using testing::readFile;
using testing::runTaskledger;
using testing::TempDir;

constexpr int kNobody = 65534;
const std::string kId = "55c85074-3e7f-4c6d-864f-673660d4f8de";

std::string describe(const ProcessResult& r) { return "exit " + std::to_string(r.exit_code) + ": " + r.err; }

class HostileOperator : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(tl({"init"}).exit_code, 0);
    std::string csv = "request_id,region\n";
    for (int i = 0; i < 40; ++i) {
      char id[40];
      std::snprintf(id, sizeof id, "%08x-0000-4000-8000-%012x", i, i);
      csv += std::string(id) + ",ap-guangzhou\n";
    }
    ASSERT_EQ(tl({"import", dir_.write("t.csv", csv)}).exit_code, 0);
  }
  ProcessResult tl(std::vector<std::string> args, const ProcessOptions& o = {}) {
    args.insert(args.end(), {"--db", db_});
    return runTaskledger(args, o);
  }
  long long tasks() { return SQLite::Database(db_).execAndGet("SELECT count(*) FROM tasks").getInt64(); }

  TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
};

// --- 1. Output never overwrites the ledger -------------------------------------------------

TEST_F(HostileOperator, NoFlagThatWritesAFileAcceptsTheLedgerOrItsCompanions) {
  std::filesystem::create_symlink(db_, dir_.file("link.db"));
  ::link(db_.c_str(), dir_.file("hard.db").c_str());
  const std::string dotted = dir_.path().string() + "/./ledger.db";
  for (const std::string& victim : {db_, dotted, dir_.file("link.db"), dir_.file("hard.db"), db_ + "-wal",
                                    db_ + "-shm", db_ + ".lock"}) {
    auto report = tl({"report", "--output", victim});
    EXPECT_EQ(report.exit_code, 2) << victim << ": " << describe(report);
    EXPECT_NE(report.err.find("ledger"), std::string::npos) << report.err;
    auto rejects = tl({"import", dir_.write("bad.csv", "not-an-id,ap-guangzhou\n"), "--rejects", victim});
    EXPECT_EQ(rejects.exit_code, 2) << victim << ": " << describe(rejects);
    auto metrics = tl({"run", "--metrics-file", victim});
    EXPECT_EQ(metrics.exit_code, 2) << victim << ": " << describe(metrics);
  }
  EXPECT_EQ(tasks(), 40);
  EXPECT_EQ(SQLite::Database(db_).execAndGet("PRAGMA integrity_check").getString(), "ok");
}

TEST_F(HostileOperator, DirectoriesAndDevicesAreRefusedBeforeAnyWork) {
  for (const std::string& bad : {dir_.path().string(), std::string("/tmp"), std::string("/dev/full"),
                                 std::string("/dev/null")}) {
    EXPECT_EQ(tl({"report", "--output", bad}).exit_code, 2) << bad;
    EXPECT_EQ(tl({"import", dir_.file("t.csv"), "--rejects", bad}).exit_code, 2) << bad;
    // Checked before the run: no run row is written, no credentials are looked for.
    auto r = tl({"run", "--metrics-file", bad});
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << describe(r);
  }
  EXPECT_EQ(SQLite::Database(db_).execAndGet("SELECT count(*) FROM runs").getInt64(), 0);
  struct stat st {};
  ASSERT_EQ(::stat("/dev/full", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

// --- 2. One lock per ledger file, whatever its name ----------------------------------------

TEST_F(HostileOperator, ARunThroughAnotherNameOfTheSameLedgerIsRefusedWith75) {
  std::filesystem::create_symlink(db_, dir_.file("link.db"));
  ::link(db_.c_str(), dir_.file("hard.db").c_str());
  std::string holder;
  auto held = scheduler::RunLock::tryAcquire(db_, holder);
  ASSERT_TRUE(held.has_value());
  for (const std::string& name : {dir_.file("link.db"), dir_.file("hard.db"), dir_.path().string() + "/./ledger.db"}) {
    auto r = runTaskledger({"run", "--db", name, "--lock-wait", "0s"});
    EXPECT_EQ(r.exit_code, 75) << name << ": " << describe(r);
    // The holder's description sits beside the ledger's real path; a hard link has its own.
    if (name != dir_.file("hard.db")) {
      EXPECT_NE(r.err.find("pid " + std::to_string(::getpid())), std::string::npos) << r.err;
    }
  }
}

// --- 3. Readers never take the write lock ---------------------------------------------------

TEST_F(HostileOperator, AUserWhoMayOnlyReadTheLedgerCanReportAndShow) {
  if (::getuid() != 0) GTEST_SKIP() << "needs root to run a command as another user";
  ::chmod(dir_.path().c_str(), 0755);
  ProcessOptions as_nobody;
  as_nobody.uid = kNobody;
  auto report = tl({"report", "--format", "csv", "--day", "2000-01-01"}, as_nobody);
  EXPECT_EQ(report.exit_code, 0) << describe(report);
  auto show = tl({"show", "00000001-0000-4000-8000-000000000001"}, as_nobody);
  EXPECT_EQ(show.exit_code, 0) << describe(show);
  EXPECT_NE(show.out.find("pending"), std::string::npos) << show.out;
  // Writing is refused with one line, and the ledger is as it was.
  auto add = tl({"add", kId, "--region", "ap-guangzhou"}, as_nobody);
  EXPECT_EQ(add.exit_code, 1) << describe(add);
  EXPECT_EQ(tasks(), 40);
}

TEST_F(HostileOperator, AReportAndShowAreNotHeldUpByAWriter) {
  SQLite::Database writer(db_, SQLite::OPEN_READWRITE);
  writer.exec("BEGIN IMMEDIATE");
  writer.exec("UPDATE tasks SET operation = 'x'");
  ProcessOptions quick;
  quick.timeout_seconds = 30;  // the writers' wait is 60 s: a report that waited would be killed
  auto report = tl({"report", "--format", "csv"}, quick);
  EXPECT_EQ(report.exit_code, 0) << describe(report);
  auto show = tl({"show", "00000001-0000-4000-8000-000000000001"}, quick);
  EXPECT_EQ(show.exit_code, 0) << describe(show);
  writer.exec("ROLLBACK");
}

// --- 4. Requeue means asked again; nonsense durations are usage errors ----------------------

TEST_F(HostileOperator, NonsensicalDurationsAndCountsAreUsageErrors) {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"run", "--give-up-after", "0s"}, {"run", "--max-duration", "0s"}, {"run", "--concurrency", "-3"},
           {"run", "--batch", "-1"}, {"run", "--concurrency", "0x"}}) {
    auto r = tl(args);
    EXPECT_EQ(r.exit_code, 2) << args[1] << " " << args[2] << ": " << describe(r);
    EXPECT_NE(r.err.find(args[1]), std::string::npos) << r.err;
  }
  EXPECT_EQ(SQLite::Database(db_).execAndGet("SELECT count(*) FROM tasks WHERE state = 'expired'").getInt64(), 0);
}

TEST_F(HostileOperator, OldNeverAskedTasksDoNotExpireWithoutARequest) {
  // Submitted long before the give-up age, never asked: the cheap "nothing due" path must not
  // expire them either (nothing is due because next_check_at is in the future here).
  SQLite::Database(db_, SQLite::OPEN_READWRITE)
      .exec("UPDATE tasks SET submitted_at = '2001-01-01T00:00:00.000Z', next_check_at = '2999-01-01T00:00:00.000Z'");
  auto r = tl({"run"}, testing::withEnv({{"HOME", "/nonexistent"}}, {"TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"}));
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(SQLite::Database(db_).execAndGet("SELECT count(*) FROM tasks WHERE state = 'expired'").getInt64(), 0);
}

// --- 5. A typo is an error, not a clean result ----------------------------------------------

TEST_F(HostileOperator, OnlyInitCreatesALedger) {
  const std::string typo = dir_.file("ledgr.db");
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"run"}, {"show", kId}, {"add", kId, "--region", "ap-guangzhou"}, {"requeue"}, {"prune", "--older-than", "9d"},
           {"report"}, {"import", dir_.file("t.csv")}}) {
    args.insert(args.end(), {"--db", typo});
    auto r = runTaskledger(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << describe(r);
    EXPECT_NE(r.err.find("taskledger init"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(typo)) << args[0];
  }
}

TEST_F(HostileOperator, ADeviceOrADirectoryIsNeverALedger) {
  for (const std::string& bad : {std::string("/dev/null"), dir_.path().string()}) {
    for (std::vector<std::string> args : std::vector<std::vector<std::string>>{{"init"}, {"report"}, {"run"}}) {
      args.insert(args.end(), {"--db", bad});
      auto r = runTaskledger(args);
      EXPECT_EQ(r.exit_code, 2) << bad << " " << args[0] << ": " << describe(r);
    }
  }
  EXPECT_FALSE(std::filesystem::exists("/dev/null-journal"));
  EXPECT_FALSE(std::filesystem::exists("/dev/null-wal"));
}

TEST_F(HostileOperator, TheConfigurationFileIsReadWholeOrRefused) {
  // A byte-order mark must not swallow the first setting.
  const std::string other = dir_.file("other.db");
  auto bom = runTaskledger({"init", "--config", dir_.write("bom.ini", "\xEF\xBB\xBF" "db = " + other + "\n")});
  EXPECT_EQ(bom.exit_code, 0) << describe(bom);
  EXPECT_TRUE(std::filesystem::exists(other));
  auto section = tl({"report", "--config", dir_.write("sec.ini", "[reprot]\nformat = csv\n")});
  EXPECT_EQ(section.exit_code, 2) << describe(section);
  EXPECT_NE(section.err.find("sec.ini:2: unknown section [reprot]"), std::string::npos) << section.err;
  auto directory = tl({"report", "--config", dir_.path().string()});
  EXPECT_EQ(directory.exit_code, 2) << describe(directory);
  EXPECT_NE(directory.err.find("directory"), std::string::npos) << directory.err;
  auto switch_typo = tl({"report", "--config", dir_.write("sw.ini", "[report]\nutc = maybe\n")});
  EXPECT_EQ(switch_typo.exit_code, 2) << describe(switch_typo);
}

TEST_F(HostileOperator, AReportFilterNoTaskMatchesIsAUsageErrorNotAQuietDay) {
  auto typo = tl({"report", "--region", "ap-guangzhuo", "--fail-on", "failed"});
  EXPECT_EQ(typo.exit_code, 2) << describe(typo);
  EXPECT_NE(typo.err.find("ap-guangzhou"), std::string::npos) << typo.err;  // lists what the ledger has
  EXPECT_EQ(tl({"report", "--region", "ap-guangzhou", "--format", "csv"}).exit_code, 0);
  auto empty = tl({"report", "--fail-on", ""});
  EXPECT_EQ(empty.exit_code, 2) << describe(empty);
}

// --- 6. Writing failures are failures ---------------------------------------------------------

TEST_F(HostileOperator, AFullStandardOutputFailsEveryCommandThatPrints) {
  ProcessOptions full;
  full.shell_prefix = "exec >/dev/full;";
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"report"}, {"show", "00000001-0000-4000-8000-000000000001"}, {"import", dir_.file("t.csv")}}) {
    args.insert(args.end(), {"--db", db_});
    auto r = runTaskledger(args, full);
    EXPECT_EQ(r.exit_code, 1) << args[0] << ": " << describe(r);
    EXPECT_NE(r.err.find("cannot write to standard output"), std::string::npos) << r.err;
  }
}

// --- 7. What comes from outside is bounded and inert -----------------------------------------

TEST_F(HostileOperator, ServerTextIsShownEscapedAndProfileNamesCannotInjectMetrics) {
  {
    SQLite::Database w(db_, SQLite::OPEN_READWRITE);
    w.exec("UPDATE tasks SET message = 'done' || char(27) || ']0;pwned' || char(7) || char(10) || 'line2'"
           " WHERE request_id = '00000001-0000-4000-8000-000000000001'");
  }
  auto show = tl({"show", "00000001-0000-4000-8000-000000000001"});
  ASSERT_EQ(show.exit_code, 0) << describe(show);
  EXPECT_EQ(show.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(show.out.find('\x07'), std::string::npos);
  EXPECT_NE(show.out.find("done\\x1b]0;pwned\\x07\\nline2"), std::string::npos) << show.out;

  // A profile name can carry no line break or quote into the metrics file: it is refused at the
  // door (the metrics file also escapes label values, MetricsFile_test).
  const std::string evil = "x\"} 1\nfake_metric{a=\"b";
  auto run = tl({"run", "--profile", evil, "--metrics-file", dir_.file("m.prom")},
                testing::withEnv({{"HOME", "/nonexistent"}}, {"TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"}));
  EXPECT_EQ(run.exit_code, 2) << describe(run);
  EXPECT_NE(run.err.find("--profile"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.file("m.prom")));
}

TEST_F(HostileOperator, AnEndlessInputWithoutLineEndsEndsWithAClearError) {
  ProcessOptions bounded;
  bounded.timeout_seconds = 60;
  auto r = tl({"import", "/dev/zero", "--region", "ap-guangzhou"}, bounded);
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_NE(r.err.find("not a CSV file"), std::string::npos) << r.err;
  EXPECT_EQ(tasks(), 40);
}

// --- 8. Small truths -----------------------------------------------------------------------------

TEST_F(HostileOperator, ACaFileThatIsADirectoryOrEmptySaysWhatItIs) {
  auto dir = tl({"run", "--ca-file", dir_.path().string()});
  EXPECT_EQ(dir.exit_code, 2) << describe(dir);
  EXPECT_NE(dir.err.find("is a directory"), std::string::npos) << dir.err;
  auto empty = tl({"run", "--ca-file", dir_.write("empty.pem", "")});
  EXPECT_EQ(empty.exit_code, 2) << describe(empty);
  EXPECT_NE(empty.err.find("is empty"), std::string::npos) << empty.err;
}

TEST_F(HostileOperator, VerboseSaysWhichLockIsHeld) {
  auto r = tl({"run", "--verbose"}, testing::withEnv({{"HOME", "/nonexistent"}}, {"TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"}));
  EXPECT_NE(r.err.find("holding the run lock"), std::string::npos) << describe(r);
}

}  // namespace
}  // namespace taskledger
