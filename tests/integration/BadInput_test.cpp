// Hostile and broken input (issue 6): each gets one line naming the problem and an exit code from
// DESIGN.md; never a crash, a hang, or a partial silent write.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <SQLiteCpp/Database.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include "support/MockEndpointProcess.h"
#include "support/Process.h"
#include "support/TempDir.h"

namespace taskledger {
namespace {

using testing::ProcessOptions;
using testing::ProcessResult;
using testing::runTaskledger;
using testing::TempDir;

constexpr int kNobody = 65534;
const std::string kGoodRow = "55c85074-3e7f-4c6d-864f-673660d4f8de,ap-guangzhou\n";

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }
bool crashed(const ProcessResult& r) { return r.exit_code >= 128 || r.exit_code < 0; }

class BadInput : public ::testing::Test {
 protected:
  long long tasks() {
    if (!std::filesystem::exists(db_)) return 0;
    return SQLite::Database(db_).execAndGet("SELECT count(*) FROM tasks").getInt64();
  }
  ProcessResult import(const std::string& file, std::vector<std::string> extra = {}, ProcessOptions o = {}) {
    std::vector<std::string> args{"import", file, "--db", db_};
    args.insert(args.end(), extra.begin(), extra.end());
    return runTaskledger(args, o);
  }
  // A tmpfs of `size` mounted at dir/name, or empty when this machine does not allow mounting.
  std::string mountTmpfs(const std::string& name, const std::string& size) {
    std::string at = dir_.file(name);
    std::filesystem::create_directory(at);
    if (::mount("tmpfs", at.c_str(), "tmpfs", 0, ("size=" + size).c_str()) != 0) return "";
    mounts_.push_back(at);
    return at;
  }
  // Only init creates a ledger (issue 14).
  void SetUp() override { ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0); }
  void TearDown() override {
    for (auto it = mounts_.rbegin(); it != mounts_.rend(); ++it) ::umount2(it->c_str(), MNT_DETACH);
  }

  TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
  std::vector<std::string> mounts_;
};

TEST_F(BadInput, BinaryGarbageIsRejectedRowByRowAndImportsNothing) {
  std::mt19937 rng(7);
  std::string junk(64 * 1024, '\0');
  for (auto& c : junk) c = static_cast<char>(rng());
  auto r = import(dir_.write("junk.bin", junk), {"--region", "ap-guangzhou"});
  EXPECT_FALSE(crashed(r)) << r.err;
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 65) << r.exit_code;
  EXPECT_NE(r.err.find("junk.bin:"), std::string::npos) << r.err.substr(0, 500);
  EXPECT_EQ(tasks(), 0);
  auto strict = import(dir_.file("junk.bin"), {"--region", "ap-guangzhou", "--strict"});
  EXPECT_EQ(strict.exit_code, 65);
}

TEST_F(BadInput, ATenMegabyteLineIsOneRejectedRowAndTheRestImports) {
  std::string csv = "request_id,region,operation\n" + std::string("66c85074-3e7f-4c6d-864f-673660d4f8de,ap-guangzhou,") +
                    std::string(10 * 1024 * 1024, 'x') + "\n" + "55c85074-3e7f-4c6d-864f-673660d4f8de,ap-guangzhou,CreateListener\n";
  auto r = import(dir_.write("long.csv", csv));
  EXPECT_EQ(r.exit_code, 0) << r.err.substr(0, 300);
  EXPECT_NE(r.err.find("long.csv:2:"), std::string::npos) << r.err.substr(0, 300);
  EXPECT_LT(r.err.size(), 2000u);  // the reason, not the line
  EXPECT_NE(r.out.find("imported 1"), std::string::npos) << r.out;
}

TEST_F(BadInput, InvalidUtf8IsRejectedNamingTheField) {
  std::string csv = "request_id,region,operation\n55c85074-3e7f-4c6d-864f-673660d4f8de,ap-guangzhou,Create\xff\xfeListener\n";
  auto r = import(dir_.write("utf8.csv", csv));
  EXPECT_FALSE(crashed(r));
  EXPECT_NE(r.err.find("utf8.csv:2:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("UTF-8"), std::string::npos) << r.err;
  EXPECT_EQ(tasks(), 0);
}

TEST_F(BadInput, ADirectoryOrAMissingFileIsAUsageError) {
  for (const std::string& path : {dir_.path().string(), dir_.file("missing.csv")}) {
    auto r = import(path);
    EXPECT_EQ(r.exit_code, 2) << path;
    EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
  }
}

TEST_F(BadInput, AnUnreadableFileIsAUsageErrorNamingIt) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run the binary as another user";
  std::filesystem::permissions(dir_.path(), std::filesystem::perms::all);
  std::string file = dir_.write("secret.csv", kGoodRow);
  std::filesystem::permissions(file, std::filesystem::perms::none);
  ProcessOptions as_nobody;
  as_nobody.uid = kNobody;
  auto r = import(file, {}, as_nobody);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
  EXPECT_EQ(lines(r.err), 1) << r.err;
}

TEST_F(BadInput, EmptyAndHeaderOnlyFilesImportNothingAndSaySo) {
  for (const auto& [name, content] : {std::pair<std::string, std::string>{"empty.csv", ""},
                                      {"header.csv", "request_id,region\r\n"}}) {
    auto r = import(dir_.write(name, content));
    EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err;
    EXPECT_NE(r.out.find("imported 0, duplicates 0, rejected 0"), std::string::npos) << r.out;
  }
}

TEST_F(BadInput, ALedgerThatIsNotSqliteIsRefusedForEveryCommand) {
  std::string junk = dir_.write("junk.db", std::string(8192, 'J'));
  for (std::vector<std::string> args : {std::vector<std::string>{"init"}, {"run"}, {"report"},
                                        {"show", "55c85074-3e7f-4c6d-864f-673660d4f8de"}}) {
    args.insert(args.end(), {"--db", junk});
    auto r = runTaskledger(args);
    EXPECT_EQ(r.exit_code, 1) << args[0] << ": " << r.err;
    EXPECT_NE(r.err.find("not a taskledger database"), std::string::npos) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
  }
  EXPECT_EQ(testing::readFile(junk), std::string(8192, 'J'));
}

TEST_F(BadInput, AReadOnlyLedgerIsAOneLineErrorAndStaysIntact) {
  std::string ro = mountTmpfs("ro", "4m");
  if (ro.empty()) GTEST_SKIP() << "this machine does not allow mounting a tmpfs";
  db_ = ro + "/ledger.db";
  ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0);
  ASSERT_EQ(runTaskledger({"add", "55c85074-3e7f-4c6d-864f-673660d4f8de", "--region", "ap-guangzhou", "--db", db_}).exit_code, 0);
  ASSERT_EQ(::mount("tmpfs", ro.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr), 0);
  auto r = import(dir_.write("more.csv", "66c85074-3e7f-4c6d-864f-673660d4f8de,ap-guangzhou\n"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(db_), std::string::npos) << r.err;
  ASSERT_EQ(::mount("tmpfs", ro.c_str(), "tmpfs", MS_REMOUNT, nullptr), 0);
  EXPECT_EQ(tasks(), 1);
}

TEST_F(BadInput, AFullDiskFailsTheImportWholeWithOneLine) {
  std::string small = mountTmpfs("small", "256k");
  if (small.empty()) GTEST_SKIP() << "this machine does not allow mounting a tmpfs";
  db_ = small + "/ledger.db";
  ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0);
  std::string csv = "request_id,region,operation,resource\n";
  for (int i = 0; i < 20000; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "%08x-0000-4000-8000-%012x", i, i);
    csv += std::string(id) + ",ap-guangzhou,CreateListener,lb-" + std::to_string(i) + "\n";
  }
  auto r = import(dir_.write("big.csv", csv));
  EXPECT_EQ(r.exit_code, 1) << r.err.substr(0, 300);
  EXPECT_EQ(lines(r.err), 1) << r.err.substr(0, 300);
  EXPECT_NE(r.err.find("full"), std::string::npos) << r.err;
  // The folder and the space to free, not only SQLite's "database or disk is full" (issue 20).
  EXPECT_NE(r.err.find("no space left in " + small + " for an import"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("free at least"), std::string::npos) << r.err;
  EXPECT_EQ(tasks(), 0);
  EXPECT_EQ(SQLite::Database(db_).execAndGet("PRAGMA integrity_check").getString(), "ok");
}

// Issue 20: a run on a disk with no space left said only "disk I/O error".
TEST_F(BadInput, ARunOnAFullDiskNamesTheFolderAndTheSpaceToFree) {
  std::string small = mountTmpfs("full", "1m");
  if (small.empty()) GTEST_SKIP() << "this machine does not allow mounting a tmpfs";
  db_ = small + "/ledger.db";
  ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0);
  ASSERT_EQ(runTaskledger({"add", "55c85074-3e7f-4c6d-864f-673660d4f8de", "--region", "ap-guangzhou", "--db", db_}).exit_code, 0);
  {
    std::ofstream filler(small + "/filler", std::ios::binary);
    const std::string block(4096, 'f');
    while (filler.write(block.data(), static_cast<std::streamsize>(block.size()))) {
    }
  }
  auto r = runTaskledger({"run", "--db", db_, "--max-duration", "20s"},
                         testing::withEnv({{"TENCENTCLOUD_SECRET_ID", "AKIDfull"}, {"TENCENTCLOUD_SECRET_KEY", "k"}}));
  std::filesystem::remove(small + "/filler");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("no space left in " + small), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("free at least"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("disk I/O error"), std::string::npos) << r.err;
  EXPECT_EQ(SQLite::Database(db_).execAndGet("PRAGMA integrity_check").getString(), "ok");
}

}  // namespace
}  // namespace taskledger
