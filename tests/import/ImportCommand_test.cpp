// `taskledger import` end to end: the real binary on a temporary ledger.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/Process.h"
#include "support/TempDir.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/TaskRepository.h"

namespace taskledger {
namespace {

using testing::ProcessResult;
using testing::runTaskledger;
using testing::TempDir;

constexpr const char* kA = "55c85074-3e7f-4c6d-864f-673660d4f8de";
constexpr const char* kB = "0b7c2f4e-9a1d-4e8b-b5c3-2d6f8a9e1c04";
constexpr const char* kC = "9e37a9ea-4008-4a2f-b745-4d3906616a3e";

class ImportCommand : public ::testing::Test {
 protected:
  ProcessResult run(std::vector<std::string> args, const std::string& stdin_data = "") {
    args.insert(args.begin(), {"--db", db_});
    testing::ProcessOptions options;
    options.stdin_data = stdin_data;
    options.unset_env = {"TASKLEDGER_DB"};
    return runTaskledger(args, options);
  }
  std::int64_t taskCount() {
    store::Database db(db_);
    store::TaskRepository repo(db);
    std::int64_t n = 0;
    for (const auto& [state, count] : repo.countsByState()) n += count;
    return n;
  }
  std::vector<Task> find(const std::string& id) {
    store::Database db(db_);
    return store::TaskRepository(db).findByRequestId(id);
  }
  static std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  // Only init creates a ledger (issue 14).
  void SetUp() override { ASSERT_EQ(runTaskledger({"init", "--db", db_}).exit_code, 0); }

  TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
  std::string good_ = dir_.write("ap-guangzhou.csv",
                                 "\xEF\xBB\xBFRequestId,Region,Operation,submitted_at\r\n" + std::string(kA) +
                                     ",ap-guangzhou,CreateListener,2026-11-27T10:00:00Z\r\n" +
                                     "\"" + std::string(kB) + "\",ap-guangzhou,\"Modify\r\nListener\",\r\n" +
                                     std::string(kC) + ",ap-shanghai-fsi,DeleteLoadBalancer,\r\n");
};

TEST_F(ImportCommand, ImportsAGoodFile) {
  ProcessResult r = run({"import", good_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 3, duplicates 0, rejected 0\n");
  EXPECT_EQ(r.err, "");
  auto a = find(kA);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].region, "ap-guangzhou");
  EXPECT_EQ(a[0].operation, "CreateListener");
  EXPECT_EQ(a[0].source, good_ + ":2");
  EXPECT_EQ(formatIsoUtc(a[0].submitted_at), "2026-11-27T10:00:00.000Z");
  EXPECT_EQ(a[0].state, TaskState::Pending);
  auto b = find(kB);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].operation, "Modify\r\nListener");
  EXPECT_EQ(find(kC).at(0).source, good_ + ":5");  // the quoted line break did not shift the count
}

TEST_F(ImportCommand, SubmittedTimesAreStoredExactlyInUtc) {
  const std::vector<std::pair<std::string, std::string>> times = {
      {"2026-11-27T10:00:00.250Z", "2026-11-27T10:00:00.250Z"},
      {"2026-11-27T10:00:00.007Z", "2026-11-27T10:00:00.007Z"},  // same second, other milliseconds
      {"2026-11-27T10:00:01Z", "2026-11-27T10:00:01.000Z"},
      {"2026-11-27T18:00:01.999+08:00", "2026-11-27T10:00:01.999Z"},
      {"2000-12-31T23:59:59.5Z", "2000-12-31T23:59:59.500Z"},  // before 2000 is refused (issue 20)
  };
  std::string csv = "request_id,submitted_at\n";
  for (std::size_t i = 0; i < times.size(); ++i) {
    csv += "00000000-0000-4000-8000-00000000000" + std::to_string(i) + "," + times[i].first + "\n";
  }
  ProcessResult r = run({"import", dir_.write("times.csv", csv), "--region", "ap-guangzhou"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (std::size_t i = 0; i < times.size(); ++i) {
    auto t = find("00000000-0000-4000-8000-00000000000" + std::to_string(i));
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(formatIsoUtc(t[0].submitted_at), times[i].second);
  }
}

TEST_F(ImportCommand, ReimportReportsEveryRowAsDuplicateAndImportsNothing) {
  ASSERT_EQ(run({"import", good_}).exit_code, 0);
  ProcessResult r = run({"import", good_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 0, duplicates 3, rejected 0\n");
  EXPECT_EQ(taskCount(), 3);
}

TEST_F(ImportCommand, StrictFailureLeavesTheLedgerUnchanged) {
  ASSERT_EQ(run({"import", good_}).exit_code, 0);
  std::string bad = dir_.write("bad.csv", std::string("request_id,region\n") + "11111111-2222-4333-8444-555555555555,ap-beijing\n" +
                                              "abc,ap-beijing\n");
  ProcessResult r = run({"import", bad, "--strict"});
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_NE(r.err.find(bad + ":3: request_id 'abc' is not a UUID\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing imported"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "imported 0, duplicates 0, rejected 1\n");
  EXPECT_EQ(taskCount(), 3);
  EXPECT_TRUE(find("11111111-2222-4333-8444-555555555555").empty());
}

TEST_F(ImportCommand, WithoutStrictTheGoodRowsCommitAndRejectsAreWritten) {
  std::string bad = dir_.write("mixed.csv", std::string("request_id,region,operation\n") +
                                                "abc,ap-beijing,\"a, \"\"quoted\"\" op\"\n" + kA + ",ap-beijing,x\n" +
                                                kB + ",Beijing,y\n");
  std::string rejects = dir_.file("rejects.csv");
  ProcessResult r = run({"import", bad, "--rejects", rejects});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 1, duplicates 0, rejected 2\n");
  EXPECT_EQ(r.err, bad + ":2: request_id 'abc' is not a UUID\n" + bad +
                       ":4: region 'Beijing' is not a region (like ap-guangzhou)\n");
  EXPECT_EQ(slurp(rejects), std::string("request_id,region,operation,reason\n") +
                                "abc,ap-beijing,\"a, \"\"quoted\"\" op\",line 2: request_id 'abc' is not a UUID\n" + kB +
                                ",Beijing,y,line 4: region 'Beijing' is not a region (like ap-guangzhou)\n");
  EXPECT_EQ(taskCount(), 1);
}

TEST_F(ImportCommand, ReadsStandardInput) {
  ProcessResult r = run({"import", "-", "--region", "ap-guangzhou", "--operation", "CreateListener"},
                        std::string(kA) + "\n" + kB + "\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 2, duplicates 0, rejected 0\n");
  auto a = find(kA);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].source, "<stdin>:1");
  EXPECT_EQ(a[0].operation, "CreateListener");

  r = run({"import", "-", "--region", "ap-guangzhou"}, "nonsense\n");
  EXPECT_EQ(r.err, "<stdin>:1: request_id 'nonsense' is not a UUID\n");
}

TEST_F(ImportCommand, DryRunWritesNothing) {
  ProcessResult r = run({"import", good_, "--dry-run"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "dry run: would import 3, duplicates 0, rejected 0; nothing written\n");
  EXPECT_EQ(taskCount(), 0);
}

TEST_F(ImportCommand, AMissingFileIsAUsageErrorNamingItAndTouchesNoLedger) {
  std::string missing = dir_.file("no-such.csv");
  const std::string fresh = dir_.file("fresh.db");
  ProcessResult r = runTaskledger({"import", missing, "--db", fresh});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "taskledger import: cannot read '" + missing + "': No such file or directory\n");
  EXPECT_FALSE(std::filesystem::exists(fresh));
}

TEST_F(ImportCommand, ADirectoryIsAUsageError) {
  ProcessResult r = run({"import", dir_.path().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "taskledger import: cannot read '" + dir_.path().string() + "': it is a directory\n");
}

TEST_F(ImportCommand, BareIdsWithoutRegionAndMissingArgumentsAreUsageErrors) {
  std::string ids = dir_.write("ids.txt", std::string(kA) + "\n");
  ProcessResult r = run({"import", ids});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "taskledger import: " + ids + ": a file of bare request ids needs --region\n");

  r = run({"import"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("name a CSV file"), std::string::npos) << r.err;

  r = run({"import", good_, "--rejects", good_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is the file being imported"), std::string::npos) << r.err;
  EXPECT_NE(slurp(good_).find(kA), std::string::npos);  // not truncated
}

TEST_F(ImportCommand, AFileWithoutAHeaderIsBadInput) {
  std::string f = dir_.write("two.csv", std::string(kA) + ",ap-guangzhou\n");
  ProcessResult r = run({"import", f});
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_NE(r.err.find(f + ":1: no header row"), std::string::npos) << r.err;
  EXPECT_EQ(taskCount(), 0);
}

TEST_F(ImportCommand, HelpShowsAnExample) {
  ProcessResult r = run({"import", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Usage: taskledger import FILE|-"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Example:\n  taskledger import "), std::string::npos) << r.out;
}

}  // namespace
}  // namespace taskledger
