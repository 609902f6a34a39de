// How the ledger is opened (issue 14): only init creates it; reports read without migrating or
// taking the write lock; a writer that waits too long says who holds the ledger; what a server
// answers is stored bounded; a requeue restarts the give-up clock.
#include <gtest/gtest.h>
#include <unistd.h>

#include <SQLiteCpp/Database.h>

#include <filesystem>

#include "support/TempDir.h"
#include "taskledger/domain/Error.h"
#include "taskledger/store/Database.h"
#include "taskledger/store/LedgerBusy.h"
#include "taskledger/store/TaskRepository.h"

namespace taskledger::store {
namespace {

using taskledger::testing::TempDir;

const TimePoint kNow = *parseIsoTimestamp("2026-11-27T12:00:00Z");
constexpr Millis kDay{86'400'000};

ExitCode codeOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return ExitCode::Ok;
}

TEST(LedgerOpen, OnlyCreateMakesAFileAndNoModeAcceptsADeviceOrADirectory) {
  TempDir dir;
  const std::string typo = dir.file("typo.db");
  EXPECT_EQ(codeOf([&] { Database db(typo, OpenMode::Existing); }), ExitCode::Usage);
  EXPECT_EQ(codeOf([&] { Database db(typo, OpenMode::ReadOnly); }), ExitCode::Usage);
  EXPECT_FALSE(std::filesystem::exists(typo));
  for (const std::string& bad : {std::string("/dev/null"), dir.path().string()}) {
    for (OpenMode m : {OpenMode::Create, OpenMode::Existing, OpenMode::ReadOnly}) {
      EXPECT_EQ(codeOf([&] { Database db(bad, m); }), ExitCode::Usage) << bad;
    }
  }
  EXPECT_FALSE(std::filesystem::exists("/dev/null-journal"));
  Database created(typo, OpenMode::Create);
  EXPECT_TRUE(std::filesystem::exists(typo));
}

TEST(LedgerOpen, ReadOnlyNeverMigratesAndSaysHowToMigrate) {
  TempDir dir;
  const std::string path = dir.file("l.db");
  { Database old(path, std::vector<Migration>{embeddedMigrations().front()}); }
  try {
    Database db(path, OpenMode::ReadOnly);
    FAIL() << "an older ledger opened read-only";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("taskledger init"), std::string::npos) << e.what();
  }
  EXPECT_EQ(SQLite::Database(path).execAndGet("SELECT count(*) FROM schema_migrations").getInt(), 1);
  { Database migrated(path, OpenMode::Existing); }
  Database db(path, OpenMode::ReadOnly);
  EXPECT_EQ(db.schemaVersion(), embeddedMigrations().back().version);
}

TEST(LedgerOpen, ReadersAndOpensDoNotWaitForAWriter) {
  TempDir dir;
  const std::string path = dir.file("l.db");
  { Database create(path); }
  SQLite::Database writer(path, SQLite::OPEN_READWRITE);
  writer.exec("BEGIN IMMEDIATE");
  writer.exec("INSERT INTO runs(started_at, host, pid) VALUES ('x', 'h', 1)");
  // Neither open needs the write lock; with the old open each would wait the busy timeout.
  Database reader(path, OpenMode::ReadOnly);
  reader.sql().setBusyTimeout(0);
  EXPECT_EQ(reader.sql().execAndGet("SELECT count(*) FROM runs").getInt(), 0);
  Database other(path, OpenMode::Existing);
  other.sql().setBusyTimeout(0);
  EXPECT_EQ(other.sql().execAndGet("SELECT count(*) FROM tasks").getInt(), 0);
  writer.exec("ROLLBACK");
}

TEST(LedgerOpen, AWriterThatWaitsTooLongSaysTryLaterAndNamesTheHolder) {
  TempDir dir;
  const std::string path = dir.file("l.db");
  { Database create(path); }
  SQLite::Database writer(path, SQLite::OPEN_READWRITE);
  writer.exec("BEGIN IMMEDIATE");
  writer.exec("INSERT INTO runs(started_at, host, pid) VALUES ('x', 'h', 1)");
  Database db(path, OpenMode::Existing);
  db.sql().setBusyTimeout(10);  // the real wait is Database::kBusyTimeoutMs
  TaskRepository repo(db);
  try {
    repo.requeue(std::nullopt, "", kNow);
    FAIL() << "a write went through while another connection held the write lock";
  } catch (const LedgerBusy& e) {
    EXPECT_EQ(e.code(), ExitCode::TryLater);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("pid " + std::to_string(::getpid())), std::string::npos) << e.what();
  }
  EXPECT_THROW(repo.beginImport(kNow), LedgerBusy);
  writer.exec("ROLLBACK");
  EXPECT_EQ(repo.requeue(std::nullopt, "", kNow), 0);
}

class LedgerTasks : public ::testing::Test {
 protected:
  std::int64_t add(TimePoint submitted) {
    auto w = repo_.beginImport(kNow);
    NewTask t;
    t.region = "ap-guangzhou";
    t.request_id = "55c85074-3e7f-4c6d-864f-673660d4f8de";
    t.submitted_at = submitted;
    EXPECT_TRUE(w->insert(t));
    w->commit();
    return repo_.findByRequestId(t.request_id).front().id;
  }
  void answer(std::int64_t id, TimePoint at, TaskState state, const std::string& message = "",
              const std::string& code = "", const std::string& api_request_id = "") {
    AnswerRecord r;
    r.check.task_id = id;
    r.check.checked_at = at;
    r.check.outcome = code.empty() ? "status 2" : code;
    r.check.message = message;
    r.check.api_request_id = api_request_id;
    TaskUpdate u;
    u.state = state;
    u.next_check_at = at + Millis(5000);
    if (!message.empty()) u.message = message;
    if (!code.empty()) u.last_error_code = code;
    r.update = u;
    repo_.recordAnswers({r});
  }
  Task task() { return repo_.findByRequestId("55c85074-3e7f-4c6d-864f-673660d4f8de").front(); }

  TempDir dir_;
  Database db_{dir_.file("l.db")};
  TaskRepository repo_{db_};
};

TEST_F(LedgerTasks, ATaskIsAskedAtLeastOnceBeforeItCanExpire) {
  const auto id = add(kNow - 30 * kDay);
  EXPECT_EQ(repo_.expireUnresolved("default", kNow - 7 * kDay, kNow), 0);
  answer(id, kNow, TaskState::InProgress);
  EXPECT_EQ(repo_.expireUnresolved("default", kNow - 7 * kDay, kNow), 1);
  EXPECT_EQ(task().state, TaskState::Expired);
}

TEST_F(LedgerTasks, ARequeueRestartsTheGiveUpClock) {
  const auto id = add(kNow - 30 * kDay);
  answer(id, kNow - 20 * kDay, TaskState::InProgress);
  ASSERT_EQ(repo_.expireUnresolved("default", kNow - 7 * kDay, kNow), 1);
  ASSERT_EQ(repo_.requeue(TaskState::Expired, "", kNow), 1);
  // The next run must ask it, not expire it again at once.
  EXPECT_EQ(repo_.expireUnresolved("default", kNow - 7 * kDay, kNow + Millis(1)), 0);
  EXPECT_EQ(task().state, TaskState::Pending);
  answer(id, kNow + Millis(10), TaskState::InProgress);
  EXPECT_EQ(repo_.expireUnresolved("default", kNow - 7 * kDay, kNow + Millis(20)), 0);  // a fresh clock
  EXPECT_EQ(repo_.expireUnresolved("default", kNow + Millis(20), kNow + 8 * kDay), 1);
}

TEST_F(LedgerTasks, WhatAServerAnswersIsStoredBounded) {
  const auto id = add(kNow);
  const std::string huge(1 << 20, 'm');
  answer(id, kNow, TaskState::Failed, huge, std::string(500'000, 'C'), std::string(100'000, 'r'));
  const Task t = task();
  EXPECT_LE(t.message.size(), 4096u);
  EXPECT_LE(t.last_error_code.size(), 256u);
  EXPECT_LE(t.last_api_request_id.size(), 256u);
  const auto checks = repo_.checksOf(id);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_LE(checks[0].message.size(), 4096u);
  EXPECT_LE(checks[0].outcome.size(), 256u);
  EXPECT_LE(checks[0].api_request_id.size(), 256u);
  EXPECT_LT(std::filesystem::file_size(dir_.file("l.db")) + std::filesystem::file_size(dir_.file("l.db-wal")),
            2u << 20);
}

}  // namespace
}  // namespace taskledger::store
