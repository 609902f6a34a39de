// What discover keeps in the ledger: tasks that carry who made them (also through the bulk
// path), the per-profile cursor that never moves back, and the last calls per CloudAudit host.
#include "taskledger/store/DiscoveryCursor.h"

#include <gtest/gtest.h>

#include "support/TempDir.h"
#include "taskledger/store/TaskRepository.h"

namespace taskledger::store {
namespace {

const TimePoint kT0 = *parseIsoTimestamp("2026-11-27T12:00:00Z");

NewTask discovered(int n) {
  NewTask t;
  t.region = "ap-guangzhou";
  char id[40];
  std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", n);
  t.request_id = id;
  t.source = "cloudaudit";
  t.actor = "alice" + std::to_string(n);
  t.source_ip = "10.0.0." + std::to_string(n);
  return t;
}

class DiscoveryLedger : public ::testing::Test {
 protected:
  testing::TempDir dir_;
  Database db_{dir_.file("ledger.db")};
  TaskRepository repo_{db_};
  SqliteDiscoveryCursor cursor_{db_};
};

TEST_F(DiscoveryLedger, TasksKeepTheirActorOneByOneAndInBulk) {
  std::vector<NewTask> many;
  for (int n = 2; n < 300; ++n) many.push_back(discovered(n));  // more than one bulk statement
  auto w = repo_.beginImport(kT0);
  EXPECT_TRUE(w->insert(discovered(1)));
  EXPECT_EQ(w->insertMany(many), 298);
  EXPECT_EQ(w->insertMany(many), 0);
  w->commit();
  for (int n : {1, 2, 299}) {
    auto found = repo_.findByRequestId(discovered(n).request_id);
    ASSERT_EQ(found.size(), 1u) << n;
    EXPECT_EQ(found[0].actor, "alice" + std::to_string(n));
    EXPECT_EQ(found[0].source_ip, "10.0.0." + std::to_string(n));
    EXPECT_EQ(found[0].source, "cloudaudit");
  }
}

TEST_F(DiscoveryLedger, TheCursorIsPerProfileAndNeverMovesBack) {
  EXPECT_FALSE(cursor_.lastEventAt("default"));
  cursor_.advance("default", kT0, kT0);
  cursor_.advance("default", kT0 - Millis(60'000), kT0);
  cursor_.advance("prod", kT0 + Millis(5'000), kT0 + Millis(10'000));
  EXPECT_EQ(cursor_.lastEventAt("default"), kT0);
  EXPECT_EQ(cursor_.lastEventAt("prod"), kT0 + Millis(5'000));
  SqliteDiscoveryCursor reopened(db_);
  EXPECT_EQ(reopened.lastEventAt("default"), kT0);
}

// Issue 20: one event dated ten years ahead moved the cursor there, and every later discover read
// a window that began in 2036.
TEST_F(DiscoveryLedger, TheCursorNeverMovesPastNow) {
  cursor_.advance("default", kT0 + std::chrono::hours(24 * 3650), kT0);
  EXPECT_EQ(cursor_.lastEventAt("default"), kT0);
}

TEST_F(DiscoveryLedger, ACursorAnOlderVersionLeftPastNowOrGarbledIsReplacedNotKept) {
  for (const char* stored : {"2036-11-27T12:00:00.000Z", "58902-01-01T00:00:00.000Z", "abc"}) {
    db_.sql().exec(std::string("INSERT OR REPLACE INTO discovery_cursor(profile, last_event_at, updated_at) VALUES"
                               " ('default', '") + stored + "', '2026-11-27T12:00:00.000Z')");
    if (std::string(stored) == "abc") {
      EXPECT_FALSE(cursor_.lastEventAt("default")) << "garbage is no cursor";
    }
    cursor_.advance("default", kT0 - Millis(60'000), kT0);
    EXPECT_EQ(cursor_.lastEventAt("default"), kT0 - Millis(60'000)) << stored;
  }
}

TEST_F(DiscoveryLedger, GarbledCallTimesArePassedOverNotFatal) {
  db_.sql().exec("INSERT INTO discovery_calls(host, sent_at) VALUES ('h', '2026-11-27T12:00:00.000Z,abc')");
  EXPECT_EQ(cursor_.recentCalls("h"), std::vector<TimePoint>{kT0});
}

TEST_F(DiscoveryLedger, TheLastCallsAreKeptPerHost) {
  EXPECT_TRUE(cursor_.recentCalls("cloudaudit.tencentcloudapi.com").empty());
  std::vector<TimePoint> calls{kT0, kT0 + Millis(50), kT0 + Millis(120)};
  cursor_.saveCalls("cloudaudit.tencentcloudapi.com", calls);
  EXPECT_EQ(cursor_.recentCalls("cloudaudit.tencentcloudapi.com"), calls);
  EXPECT_TRUE(cursor_.recentCalls("cloudaudit.internal.tencentcloudapi.com").empty());
}

}  // namespace
}  // namespace taskledger::store
