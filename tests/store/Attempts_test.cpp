// A task's `attempts` counts every check recorded of it, also those that left it as it was (rate
// limited, a region parked, a resend): `show` lists the checks under the count, and the two
// must agree. The SQLite ledger and the fake keep the same contract.
#include <gtest/gtest.h>

#include "support/EitherStore.h"

namespace taskledger::store {
namespace {

class AttemptsTest : public ::testing::TestWithParam<bool> {
 protected:
  TaskStore& store() { return either_.get(GetParam()); }
  testing::EitherStore either_;
};

TEST_P(AttemptsTest, EveryRecordedCheckCountsAlsoThoseThatLeaveTheTaskAsItWas) {
  const TimePoint t0 = *parseIsoTimestamp("2026-03-10T08:00:00Z");
  auto writer = store().beginImport(t0);
  NewTask t;
  t.region = "ap-beijing";
  t.request_id = "55c85074-3e7f-4c6d-864f-673660d4f8de";
  t.submitted_at = t0;
  writer->insert(t);
  writer->commit();
  const Task task = store().dueTasks("default", "", t0, 10).at(0);

  std::vector<AnswerRecord> records(3);
  const char* outcomes[] = {"RequestLimitExceeded", "UnsupportedRegion", "status:2"};
  for (int i = 0; i < 3; ++i) {
    records[i].check.task_id = task.id;
    records[i].check.checked_at = t0 + std::chrono::seconds(i + 1);
    records[i].check.outcome = outcomes[i];
  }
  TaskUpdate progress;
  progress.state = TaskState::InProgress;
  progress.next_check_at = t0;
  records[2].update = progress;
  store().recordAnswers(records);

  const Task after = store().dueTasks("default", "", t0 + std::chrono::hours(1), 10).at(0);
  EXPECT_EQ(after.attempts, 3);
  EXPECT_EQ(after.state, TaskState::InProgress);
}

INSTANTIATE_TEST_SUITE_P(SqliteAndFake, AttemptsTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Sqlite" : "Fake"; });

}  // namespace
}  // namespace taskledger::store
