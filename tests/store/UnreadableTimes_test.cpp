// A ledger already holding a time that is not one (a five-digit year an older `discover` stored,
// garbage from an older version or a hand edit) costs that task a warning, never the command:
// issue 20 found `run` exiting 1 without checking any task, and `show` and wide reports failing.
#include <gtest/gtest.h>

#include <cstdio>

#include "support/TempDir.h"
#include "taskledger/store/ReportQueries.h"
#include "taskledger/store/TaskRepository.h"

namespace taskledger::store {
namespace {

const TimePoint kT0 = *parseIsoTimestamp("2026-11-27T12:00:00Z");

std::string idOf(int n) {
  char id[40];
  std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", n);
  return id;
}

class UnreadableTimes : public ::testing::Test {
 protected:
  void SetUp() override {
    auto w = repo_.beginImport(kT0);
    for (int n = 1; n <= 3; ++n) {
      NewTask t;
      t.region = "ap-guangzhou";
      t.request_id = idOf(n);
      ASSERT_TRUE(w->insert(t));
    }
    w->commit();
  }
  void poison(int n, const std::string& column, const std::string& value) {
    db_.sql().exec("UPDATE tasks SET " + column + " = '" + value + "' WHERE request_id = '" + idOf(n) + "'");
  }

  testing::TempDir dir_;
  Database db_{dir_.file("ledger.db")};
  TaskRepository repo_{db_};
};

TEST_F(UnreadableTimes, ARunStillReadsEveryDueTaskAndEachBadOneSaysWhichTimeIsBad) {
  poison(1, "submitted_at", "58902-01-01T00:00:00.000Z");
  poison(2, "imported_at", "abc");
  const auto due = repo_.dueTasks("default", "", kT0 + Millis(1), 10, {});
  ASSERT_EQ(due.size(), 3u);
  for (const Task& t : due) {
    if (t.request_id == idOf(1)) {
      EXPECT_NE(t.unreadable.find("submitted_at '58902-01-01T00:00:00.000Z' is not a time"), std::string::npos)
          << t.unreadable;
      EXPECT_EQ(t.submitted_at, kT0) << "taken as imported_at";
    } else if (t.request_id == idOf(2)) {
      EXPECT_NE(t.unreadable.find("imported_at 'abc' is not a time"), std::string::npos) << t.unreadable;
    } else {
      EXPECT_EQ(t.unreadable, "");
    }
  }
}

TEST_F(UnreadableTimes, AGarbledNextCheckIsDueNowAndNeverTheSoonestDueTime) {
  poison(1, "next_check_at", "");
  poison(2, "next_check_at", "zzz");
  EXPECT_EQ(repo_.nextDueAt("default"), kT0);
  const auto found = repo_.findByRequestId(idOf(1));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].next_check_at, TimePoint{});
  EXPECT_NE(found[0].unreadable.find("next_check_at '' is not a time (due now)"), std::string::npos);
}

TEST_F(UnreadableTimes, ShowReadsTheTaskWhateverItsTimes) {
  for (const char* column : {"submitted_at", "imported_at", "last_checked_at", "resolved_at"}) poison(3, column, "\x1b[2J");
  const auto found = repo_.findByRequestId(idOf(3));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_FALSE(found[0].last_checked_at);
  EXPECT_FALSE(found[0].resolved_at);
  EXPECT_EQ(found[0].unreadable.find('\x1b'), std::string::npos) << "made printable";
  EXPECT_NE(found[0].unreadable.find("resolved_at"), std::string::npos);
}

TEST_F(UnreadableTimes, ACheckWithAGarbledTimeIsStillShownAndSaysSo) {
  const Task t = repo_.findByRequestId(idOf(1)).at(0);
  db_.sql().exec("INSERT INTO checks(task_id, checked_at, outcome, message, api_request_id, latency_ms, endpoint_host)"
                 " VALUES (" + std::to_string(t.id) + ", 'abc', 'status:2', 'in progress', 'r', 5, 'h')");
  const auto checks = repo_.checksOf(t.id);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].message, "checked_at 'abc' is not a time; in progress");
}

TEST_F(UnreadableTimes, AWideReportLeavesTheBadTaskOutAndNamesIt) {
  poison(1, "submitted_at", "58902-01-01T00:00:00.000Z");  // inside any window up to 9999 as text
  poison(2, "resolved_at", "abc");
  ReportQueries queries(db_);
  WindowFilter wide{*parseIsoTimestamp("2000-01-01T00:00:00Z"), *parseIsoTimestamp("9999-12-31T00:00:00Z"), "", "", "", {}};
  std::vector<std::string> visited;
  queries.forEachTaskInWindow(wide, [&](const WindowTask& t) {
    visited.emplace_back(t.request_id);
    if (t.request_id == idOf(2)) {
      EXPECT_FALSE(t.resolved_at);
    }
  });
  EXPECT_EQ(visited, (std::vector<std::string>{idOf(2), idOf(3)}));
  ASSERT_EQ(queries.unreadable().size(), 2u);
  // In submitted_at order: the five-digit year sorts last.
  EXPECT_NE(queries.unreadable()[0].find("task " + idOf(2) + " (ap-guangzhou): resolved_at 'abc'"), std::string::npos)
      << queries.unreadable()[0];
  EXPECT_NE(queries.unreadable()[1].find("task " + idOf(1) + " (ap-guangzhou): submitted_at '58902-01-01T00:00:00.000Z'"),
            std::string::npos)
      << queries.unreadable()[1];
}

TEST_F(UnreadableTimes, TasksNoWindowCanHoldAreCountedAndTheFirstNamed) {
  // A well-formed time ten years ahead, one before 2000, and one that is no time: each sits
  // outside every day a report can be asked for.
  poison(1, "submitted_at", "2036-11-27T12:00:00.000Z");
  poison(2, "submitted_at", "1970-01-01T00:00:00.000Z");
  poison(3, "submitted_at", "abc");
  ReportQueries queries(db_);
  const auto outside = queries.outOfRange(kEarliestSaneTime, kT0 + kMaxFutureSkew, 2);
  EXPECT_EQ(outside.count, 3);
  EXPECT_EQ(outside.first, (std::vector<std::string>{idOf(2) + " (ap-guangzhou) submitted_at 1970-01-01T00:00:00.000Z",
                                                     idOf(1) + " (ap-guangzhou) submitted_at 2036-11-27T12:00:00.000Z"}));
  poison(1, "submitted_at", "2026-11-27T12:00:00.000Z");
  poison(2, "submitted_at", "2026-11-28T11:59:59.999Z");  // within a day of now: a clock's skew
  poison(3, "submitted_at", "2000-01-01T00:00:00.000Z");
  EXPECT_EQ(queries.outOfRange(kEarliestSaneTime, kT0 + kMaxFutureSkew, 2).count, 0);
}

}  // namespace
}  // namespace taskledger::store
