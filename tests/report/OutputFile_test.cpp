// Where a report, a metrics file or a rejects file may be written (issue 14): never over the
// ledger or its companions, never over a directory or a device; a symlink keeps pointing.
#include "taskledger/report/OutputFile.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "support/MockEndpointProcess.h"
#include "support/TempDir.h"
#include "taskledger/domain/Error.h"

namespace taskledger::report {
namespace {

using taskledger::testing::readFile;
using taskledger::testing::TempDir;

ExitCode codeOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return ExitCode::Ok;
}

TEST(OutputFile, TheLedgerAndItsCompanionsAreRefusedByAnyName) {
  TempDir dir;
  const std::string ledger = dir.write("l.db", "ledger");
  dir.write("l.db-wal", "wal");
  std::filesystem::create_symlink(ledger, dir.file("link.db"));
  for (const std::string& p : {ledger, dir.file("link.db"), dir.path().string() + "/./l.db", ledger + "-wal",
                               ledger + "-shm", ledger + ".lock", ledger + ".discover.lock", ledger + "-journal"}) {
    EXPECT_EQ(codeOf([&] { checkOutputPath("--output", p, dir.file("link.db")); }), ExitCode::Usage) << p;
  }
  EXPECT_EQ(codeOf([&] { checkOutputPath("--output", dir.file("report.html"), ledger); }), ExitCode::Ok);
  EXPECT_EQ(readFile(ledger), "ledger");
}

TEST(OutputFile, DirectoriesDevicesAndMissingDirectoriesAreRefused) {
  TempDir dir;
  const std::string ledger = dir.write("l.db", "ledger");
  for (const std::string& p : {dir.path().string(), std::string("/dev/full"), std::string("/dev/null"),
                               dir.file("missing/report.html")}) {
    EXPECT_EQ(codeOf([&] { checkOutputPath("--output", p, ledger); }), ExitCode::Usage) << p;
  }
}

TEST(OutputFile, AnAtomicWriteNeverReplacesADevice) {
  EXPECT_EQ(codeOf([] { writeFileAtomically("/dev/full", "x"); }), ExitCode::Failure);
  struct stat st {};
  ASSERT_EQ(::stat("/dev/full", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST(OutputFile, ASymlinkedReportKeepsItsLink) {
  TempDir dir;
  const std::string real = dir.write("real.html", "old");
  std::filesystem::create_symlink(real, dir.file("report.html"));
  writeFileAtomically(dir.file("report.html"), "new");
  EXPECT_TRUE(std::filesystem::is_symlink(dir.file("report.html")));
  EXPECT_EQ(readFile(real), "new");
}

}  // namespace
}  // namespace taskledger::report
