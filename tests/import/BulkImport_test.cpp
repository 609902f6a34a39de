// Large imports through the real binary: the writer rebuilds the secondary indexes of `tasks`
// after a bulk load, and the ledger must come out exactly as migrated, or untouched on failure.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdio>
#include <map>

#include "support/Process.h"
#include "support/TempDir.h"

namespace taskledger {
namespace {

using testing::runTaskledger;
using testing::TempDir;

// More rows than the writer's threshold for rebuilding indexes (20,000).
constexpr unsigned kRows = 25'000;

std::string bulkCsv(unsigned rows, const std::string& bad_row = "") {
  std::string csv = "request_id,region,submitted_at\n";
  char line[96];
  for (unsigned i = 0; i < rows; ++i) {
    std::snprintf(line, sizeof line, "%08x-0000-4000-8000-%012x,ap-guangzhou,2026-11-27T%02u:%02u:00Z\n",
                  i * 2654435761u, i, i / 60 % 24, i % 60);
    csv += line;
    if (i == rows / 2 && !bad_row.empty()) csv += bad_row + "\n";
  }
  return csv;
}

// name -> SQL of every index on tasks, as sqlite_master records it.
std::map<std::string, std::string> taskIndexes(const std::string& db) {
  SQLite::Database sql(db);
  SQLite::Statement q(sql, "SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks'");
  std::map<std::string, std::string> out;
  while (q.executeStep()) out[q.getColumn(0).getString()] = q.getColumn(1).getString();
  return out;
}

std::int64_t scalar(const std::string& db, const std::string& query) {
  SQLite::Database sql(db);
  return sql.execAndGet(query).getInt64();
}

class BulkImport : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(runTaskledger({"--db", db_, "init"}).exit_code, 0);
    migrated_indexes_ = taskIndexes(db_);
    ASSERT_GE(migrated_indexes_.size(), 3u);
  }
  TempDir dir_;
  std::string db_ = dir_.file("ledger.db");
  std::map<std::string, std::string> migrated_indexes_;
};

TEST_F(BulkImport, ALargeImportLeavesEveryIndexAsMigratedAndUsable) {
  auto r = runTaskledger({"--db", db_, "import", dir_.write("bulk.csv", bulkCsv(kRows))});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 25000, duplicates 0, rejected 0\n");
  EXPECT_EQ(taskIndexes(db_), migrated_indexes_);
  SQLite::Database sql(db_);
  EXPECT_EQ(sql.execAndGet("PRAGMA integrity_check").getString(), "ok");
  // Each index holds every row: counting through it agrees with the table.
  for (const auto& [name, create] : migrated_indexes_) {
    if (create.empty()) continue;
    bool partial = create.find("WHERE") != std::string::npos;
    std::string where = partial ? " WHERE state IN ('pending','in_progress')" : "";
    EXPECT_EQ(scalar(db_, "SELECT count(*) FROM tasks INDEXED BY " + name + where), kRows) << name;
  }
  // The ledger still opens (migrations verified) and a re-import finds every row.
  r = runTaskledger({"--db", db_, "import", dir_.file("bulk.csv")});
  EXPECT_EQ(r.out, "imported 0, duplicates 25000, rejected 0\n") << r.err;
}

TEST_F(BulkImport, AFailedLargeStrictImportLeavesTheLedgerAndItsIndexesUnchanged) {
  testing::ProcessOptions one_id;
  one_id.stdin_data = "55c85074-3e7f-4c6d-864f-673660d4f8de\n";
  ASSERT_EQ(runTaskledger({"--db", db_, "import", "-", "--region", "ap-beijing"}, one_id).exit_code, 0);
  auto r = runTaskledger({"--db", db_, "import", dir_.write("bad.csv", bulkCsv(kRows, "abc,ap-guangzhou,")), "--strict"});
  EXPECT_EQ(r.exit_code, 65) << r.err;
  EXPECT_EQ(taskIndexes(db_), migrated_indexes_);
  EXPECT_EQ(scalar(db_, "SELECT count(*) FROM tasks"), 1);
}

TEST_F(BulkImport, ADryRunOfALargeFileChangesNothing) {
  auto r = runTaskledger({"--db", db_, "import", dir_.write("bulk.csv", bulkCsv(kRows)), "--dry-run"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(taskIndexes(db_), migrated_indexes_);
  EXPECT_EQ(scalar(db_, "SELECT count(*) FROM tasks"), 0);
}

}  // namespace
}  // namespace taskledger
