#include "taskledger/store/TaskSubset.h"

#include <gtest/gtest.h>

#include "support/FakeTaskStore.h"

namespace taskledger::store {
namespace {

using taskledger::testing::FakeTaskStore;

Task makeTask(const std::string& region, int n, TimePoint due, TaskState state = TaskState::Pending) {
  Task t;
  t.profile = "default";
  t.region = region;
  t.request_id = "00000000-0000-4000-8000-00000000000" + std::to_string(n);
  t.state = state;
  t.submitted_at = due - Millis(60'000);
  t.next_check_at = due;
  return t;
}

class TaskSubsetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = ledger_.addTask(makeTask("ap-guangzhou", 1, now_ - Millis(1000)));
    b_ = ledger_.addTask(makeTask("ap-shanghai", 2, now_ - Millis(3000)));
    other_ = ledger_.addTask(makeTask("ap-guangzhou", 3, now_ - Millis(9000)));
    later_ = ledger_.addTask(makeTask("ap-beijing", 4, now_ + Millis(5000)));
    done_ = ledger_.addTask(makeTask("ap-beijing", 5, now_ - Millis(9000), TaskState::Succeeded));
  }

  TaskSubset subsetOf(std::vector<std::int64_t> ids) {
    return TaskSubset(ledger_, [this, ids] {
      std::vector<Task> out;
      for (auto id : ids) out.push_back(*ledger_.task(id));
      return out;
    });
  }

  FakeTaskStore ledger_;
  TimePoint now_ = fromUnixSeconds(1'800'000'000);
  std::int64_t a_ = 0, b_ = 0, other_ = 0, later_ = 0, done_ = 0;
};

TEST_F(TaskSubsetTest, SchedulesOnlyItsOwnTasksOldestDueFirst) {
  auto subset = subsetOf({a_, b_, later_, done_});
  auto due = subset.dueTasks("default", "", now_, 10);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].id, b_);
  EXPECT_EQ(due[1].id, a_);
  EXPECT_EQ(subset.dueTasks("default", "ap-guangzhou", now_, 10).size(), 1u);
  EXPECT_EQ(subset.dueTasks("default", "", now_, 1).size(), 1u);
  EXPECT_TRUE(subset.dueTasks("other-profile", "", now_, 10).empty());
  EXPECT_TRUE(subset.dueTasks("default", "", now_, 10, [&](std::int64_t id) { return id == b_ || id == a_; }).empty());
}

TEST_F(TaskSubsetTest, CountsAndRegionsAreTheSubsetsUnresolvedOnes) {
  auto subset = subsetOf({a_, later_, done_});
  EXPECT_EQ(subset.countUnresolved("default"), 2);
  EXPECT_EQ(subset.unresolvedRegions("default"), (std::vector<std::string>{"ap-beijing", "ap-guangzhou"}));
  EXPECT_EQ(subset.nextDueAt("default"), now_ - Millis(1000));
}

TEST_F(TaskSubsetTest, NeverExpiresAndWritesGoToTheLedger) {
  auto subset = subsetOf({a_});
  EXPECT_EQ(subset.expireUnresolved("default", now_ + Millis(86'400'000), now_), 0);
  EXPECT_EQ(ledger_.task(a_)->state, TaskState::Pending);

  auto run = subset.beginRun({0, now_, {}, "test", 1, "default", {}, ""});
  AnswerRecord r;
  r.check.task_id = a_;
  r.check.run_id = run;
  r.check.checked_at = now_;
  r.check.outcome = "status:0";
  r.check.endpoint_host = "clb.ap-guangzhou.tencentcloudapi.com";
  r.update = TaskUpdate{TaskState::Succeeded, 0, now_, now_, {}, {}, {}, {}};
  subset.recordAnswers({r});
  EXPECT_EQ(ledger_.task(a_)->state, TaskState::Succeeded);
  EXPECT_EQ(subset.sendsSince("clb.ap-guangzhou.tencentcloudapi.com", now_ - Millis(1000)).size(), 1u);
  EXPECT_EQ(subset.countUnresolved("default"), 0);
}

}  // namespace
}  // namespace taskledger::store
