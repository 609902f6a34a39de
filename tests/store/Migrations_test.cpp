#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "support/Process.h"
#include "support/TempDir.h"
#include "taskledger/domain/Error.h"
#include "taskledger/store/Database.h"

namespace taskledger::store {
namespace {

using taskledger::testing::TempDir;

TEST(Migrations, FreshLedgerGetsEverySchemaObject) {
  TempDir dir;
  Database db(dir.file("l.db"));
  EXPECT_EQ(db.appliedNow().size(), embeddedMigrations().size());
  EXPECT_EQ(db.schemaVersion(), embeddedMigrations().back().version);
  for (const char* table : {"tasks", "checks", "runs", "schema_migrations"}) {
    EXPECT_EQ(db.sql().execAndGet(std::string("SELECT count(*) FROM sqlite_master WHERE name='") + table + "'").getInt(), 1)
        << table;
  }
  for (const char* index : {"tasks_due", "tasks_submitted", "tasks_unresolved"}) {
    EXPECT_EQ(db.sql().execAndGet(std::string("SELECT count(*) FROM sqlite_master WHERE type='index' AND name='") + index + "'").getInt(), 1)
        << index;
  }
  EXPECT_EQ(db.sql().execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(db.sql().execAndGet("PRAGMA foreign_keys").getInt(), 1);
  EXPECT_GT(db.sql().execAndGet("PRAGMA busy_timeout").getInt(), 0);
}

TEST(Migrations, ReopeningAppliesNothingAndKeepsData) {
  TempDir dir;
  { Database db(dir.file("l.db")); db.sql().exec("INSERT INTO runs(started_at, host, pid) VALUES ('2026-01-01T00:00:00.000Z','h',1)"); }
  Database again(dir.file("l.db"));
  EXPECT_TRUE(again.appliedNow().empty());
  EXPECT_EQ(again.sql().execAndGet("SELECT count(*) FROM runs").getInt(), 1);
}

TEST(Migrations, UniqueTaskPerProfileRegionRequestId) {
  TempDir dir;
  Database db(dir.file("l.db"));
  const char* insert =
      "INSERT INTO tasks(profile, region, request_id, submitted_at, imported_at, next_check_at)"
      " VALUES ('default','ap-guangzhou','55c85074-3e7f-4c6d-864f-673660d4f8de','t','t','t')";
  db.sql().exec(insert);
  EXPECT_THROW(db.sql().exec(insert), SQLite::Exception);
  EXPECT_THROW(db.sql().exec("UPDATE tasks SET state = 'done'"), SQLite::Exception);
}

TEST(Migrations, ChangedAppliedMigrationIsRefused) {
  TempDir dir;
  { Database db(dir.file("l.db")); }
  {
    SQLite::Database raw(dir.file("l.db"), SQLite::OPEN_READWRITE);
    raw.exec("UPDATE schema_migrations SET checksum = 'deadbeefdeadbeef' WHERE version = 1");
  }
  try {
    Database db(dir.file("l.db"));
    FAIL() << "opened a ledger whose migration was changed";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::Failure);
    EXPECT_NE(std::string(e.what()).find("was changed after it was applied"), std::string::npos) << e.what();
  }
}

TEST(Migrations, NewerSchemaIsRefusedWithExit1) {
  TempDir dir;
  { Database db(dir.file("l.db")); }
  {
    SQLite::Database raw(dir.file("l.db"), SQLite::OPEN_READWRITE);
    raw.exec("INSERT INTO schema_migrations VALUES (999, 'future', 'x', '2030-01-01T00:00:00.000Z')");
  }
  EXPECT_THROW(Database(dir.file("l.db")), Error);
  auto r = taskledger::testing::runTaskledger({"init", "--db", dir.file("l.db")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("newer than this taskledger"), std::string::npos) << r.err;
}

TEST(Migrations, LaterMigrationAppliesOnTopOfEarlierOnes) {
  TempDir dir;
  std::vector<Migration> v1{embeddedMigrations().front()};
  { Database db(dir.file("l.db"), v1); EXPECT_EQ(db.schemaVersion(), 1); }
  auto v2 = v1;
  v2.push_back({2, "extra", "abc", "CREATE TABLE extra(x INTEGER);"});
  Database db(dir.file("l.db"), v2);
  EXPECT_EQ(db.appliedNow(), std::vector<int>{2});
  EXPECT_EQ(db.sql().execAndGet("SELECT count(*) FROM schema_migrations").getInt(), 2);
}

TEST(Migrations, ALedgerAtSchemaOneUpgradesWithItsTasksIntact) {
  TempDir dir;
  {
    Database v1(dir.file("l.db"), {embeddedMigrations().front()});
    v1.sql().exec(
        "INSERT INTO tasks(region, request_id, submitted_at, imported_at, next_check_at)"
        " VALUES ('ap-guangzhou','55c85074-3e7f-4c6d-864f-673660d4f8de','2026-01-01T00:00:00.000Z',"
        "'2026-01-01T00:00:00.000Z','2026-01-01T00:00:00.000Z')");
  }
  Database now(dir.file("l.db"));
  ASSERT_FALSE(now.appliedNow().empty());
  EXPECT_EQ(now.appliedNow().front(), 2);
  EXPECT_EQ(now.sql().execAndGet("SELECT count(*) FROM tasks").getInt(), 1);
  // The due query is served by the partial index, in due order, without a sort.
  std::string plan;
  SQLite::Statement q(now.sql(),
                      "EXPLAIN QUERY PLAN SELECT id FROM tasks INDEXED BY tasks_due WHERE state IN ('pending','in_progress')"
                      " AND next_check_at <= 'x' AND profile = 'default' ORDER BY next_check_at LIMIT 10");
  while (q.executeStep()) plan += q.getColumn(3).getString() + "\n";
  EXPECT_NE(plan.find("tasks_due"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
}

TEST(Migrations, NotSqliteFileIsAClearError) {
  TempDir dir;
  auto path = dir.write("junk.db", std::string(4096, 'x'));
  auto r = taskledger::testing::runTaskledger({"init", "--db", path});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("is not a taskledger database"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace taskledger::store
