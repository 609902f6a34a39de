// TaskWriter::insertMany, the importer's way into the ledger: the SQLite writer's multi-row
// statements and the interface's one-by-one default must count and keep exactly the same rows.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>

#include <SQLiteCpp/Exception.h>

#include "support/EitherStore.h"

namespace taskledger {
namespace {

const TimePoint kNow = *parseIsoTimestamp("2026-11-27T12:00:00Z");

NewTask taskOf(unsigned key, unsigned line) {
  NewTask t;
  t.region = "ap-guangzhou";
  char id[40];
  std::snprintf(id, sizeof id, "%08x-0000-4000-8000-%012x", key * 2654435761u, key);
  t.request_id = id;
  t.operation = "CreateListener";
  t.source = "day.csv:" + std::to_string(line);
  // Rows 7 ms apart cross many seconds: each row's own time must be stored, not a neighbour's.
  if (line % 10 != 0) t.submitted_at = kNow - std::chrono::hours(1) + Millis(7 * line);
  return t;
}

// Every task the store holds, by request id.
std::map<std::string, Task> stored(store::TaskStore& store) {
  std::map<std::string, Task> out;
  for (auto& t : store.dueTasks("default", "", kNow + std::chrono::hours(1), 100'000)) out[t.request_id] = t;
  return out;
}

class InsertMany : public ::testing::TestWithParam<bool> {
 protected:
  // The SQLite repository (true) or the in-memory fake, which keeps the default insertMany().
  store::TaskStore& store() { return stores_.get(GetParam()); }

 private:
  testing::EitherStore stores_;
};

TEST_P(InsertMany, CountsDuplicatesOfTheLedgerAndOfTheCallAndKeepsTheFirstOfEachKey) {
  {  // keys 0..99 are in the ledger already
    auto w = store().beginImport(kNow);
    std::vector<NewTask> before;
    for (unsigned k = 0; k < 100; ++k) before.push_back(taskOf(k, 1000 + k));
    ASSERT_EQ(w->insertMany(before), 100);
    w->commit();
  }
  // 301 rows: keys 50..249, then keys 150..250 again. More than two statements of 128 rows,
  // with repeats inside one statement, across statements and of the ledger.
  std::vector<NewTask> rows;
  unsigned line = 2;
  for (unsigned k = 50; k < 250; ++k) rows.push_back(taskOf(k, line++));
  for (unsigned k = 150; k <= 250; ++k) rows.push_back(taskOf(k, line++));
  ASSERT_EQ(rows.size(), 301u);
  auto w = store().beginImport(kNow);
  EXPECT_EQ(w->insertMany(rows), 151);  // keys 100..250
  EXPECT_EQ(w->insertMany({taskOf(250, 999)}), 0);
  EXPECT_EQ(w->insertMany({}), 0);
  w->commit();

  auto tasks = stored(store());
  ASSERT_EQ(tasks.size(), 251u);
  for (unsigned k = 0; k <= 250; ++k) {
    // The row that won: the ledger's for keys below 100, else the first in the call.
    NewTask want = k < 100 ? taskOf(k, 1000 + k) : k < 250 ? taskOf(k, k - 48) : taskOf(k, 302);
    const Task& got = tasks.at(want.request_id);
    EXPECT_EQ(got.source, want.source) << k;
    EXPECT_EQ(got.submitted_at, want.submitted_at.value_or(kNow)) << k;
    EXPECT_EQ(got.imported_at, kNow) << k;
    EXPECT_EQ(got.operation, "CreateListener") << k;
  }
}

TEST_P(InsertMany, NothingIsKeptWithoutCommit) {
  {
    auto w = store().beginImport(kNow);
    std::vector<NewTask> rows;
    for (unsigned k = 0; k < 130; ++k) rows.push_back(taskOf(k, k + 2));
    EXPECT_EQ(w->insertMany(rows), 130);
  }
  EXPECT_TRUE(stored(store()).empty());
}

// The writer skips the table's CHECK constraints for speed; the rows must still satisfy them
// (integrity_check tests every CHECK), and the connection must enforce them again afterwards.
TEST(SqliteTaskWriter, ImportedRowsMeetTheChecksWhichHoldAgainAfterTheImport) {
  testing::TempDir dir;
  store::Database db(dir.file("ledger.db"));
  store::TaskRepository repo(db);
  {
    auto w = repo.beginImport(kNow);
    std::vector<NewTask> rows;
    for (unsigned k = 0; k < 300; ++k) rows.push_back(taskOf(k, k + 2));
    ASSERT_EQ(w->insertMany(rows), 300);
    ASSERT_TRUE(w->insert(taskOf(300, 302)));
    w->commit();
  }
  EXPECT_EQ(db.sql().execAndGet("PRAGMA integrity_check").getString(), "ok");
  EXPECT_EQ(db.sql().execAndGet("SELECT count(*) FROM tasks WHERE state = 'pending' AND last_status IS NULL").getInt(), 301);
  EXPECT_THROW(db.sql().exec("UPDATE tasks SET state = 'done'"), SQLite::Exception);
  EXPECT_THROW(db.sql().exec("UPDATE tasks SET last_status = 7"), SQLite::Exception);
}

INSTANTIATE_TEST_SUITE_P(Stores, InsertMany, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Sqlite" : "Fake"; });

}  // namespace
}  // namespace taskledger
