#include "taskledger/scheduler/Waiter.h"

#include <gtest/gtest.h>

#include <csignal>
#include <map>

#include "support/FakeClock.h"

namespace taskledger::scheduler {
namespace {

using taskledger::testing::FakeClock;

// A ledger of a few awaited tasks that the test resolves at chosen virtual times, as a run
// holding the lock (or the waiter's own asks) would.
class WaiterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 3; ++i) {
      Task t;
      t.id = i + 1;
      t.profile = "default";
      t.region = "ap-guangzhou";
      t.next_check_at = clock_.now();
      tasks_.push_back(t);
    }
  }

  // What the ledger holds at the current virtual time.
  std::vector<Task> load() {
    ++loads_;
    auto now = clock_.now();
    for (auto& t : tasks_) {
      auto it = resolves_.find(t.id);
      if (it != resolves_.end() && it->second.first <= now) t.state = it->second.second;
    }
    return tasks_;
  }

  void resolveAt(std::int64_t id, Millis after, TaskState state) { resolves_[id] = {start_ + after, state}; }

  WaitOutcome wait(WaitOptions options, bool lock_free = false) {
    WaitPorts ports;
    ports.load = [this] { return load(); };
    ports.with_lock = [this, lock_free](const std::function<void()>& ask) {
      if (!lock_free) return false;  // cron's run holds the ledger
      ask();
      return true;
    };
    ports.sleep_until = [this](TimePoint t) { clock_.advanceTo(t); };
    ports.ask_due = [this](TimePoint) {
      ++asks_;
      // The asked tasks are in progress: due again 5 s later.
      for (auto& t : tasks_) {
        if (isUnresolved(t.state)) {
          t.state = TaskState::InProgress;
          t.next_check_at = clock_.now() + Millis(5000);
        }
      }
      return 0;
    };
    Waiter w(clock_, ports, options);
    waiter_ = &w;
    auto out = w.wait();
    waiter_ = nullptr;
    return out;
  }

  FakeClock clock_;
  TimePoint start_ = clock_.now();
  std::vector<Task> tasks_;
  std::map<std::int64_t, std::pair<TimePoint, TaskState>> resolves_;
  int loads_ = 0, asks_ = 0;
  Waiter* waiter_ = nullptr;
};

TEST_F(WaiterTest, ReturnsWithinOnePollOfTheLastTaskResolvingWhileARunAsks) {
  resolveAt(1, Millis(2'000), TaskState::Succeeded);
  resolveAt(2, Millis(7'300), TaskState::Succeeded);
  resolveAt(3, Millis(4'100), TaskState::Succeeded);
  auto out = wait({Millis(60'000), Millis(500)});

  EXPECT_EQ(out.result, WaitResult::AllSucceeded);
  EXPECT_EQ(out.exit(), ExitCode::Ok);
  EXPECT_GE(clock_.now(), start_ + Millis(7'300));
  EXPECT_LE(clock_.now(), start_ + Millis(7'300) + Millis(500));
  EXPECT_EQ(asks_, 0) << "while another holds the lock, a wait only reads the ledger";
}

TEST_F(WaiterTest, AnyFailedTaskMakesExitThree) {
  resolveAt(1, Millis(1'000), TaskState::Succeeded);
  resolveAt(2, Millis(1'000), TaskState::Failed);
  resolveAt(3, Millis(1'000), TaskState::Rejected);
  auto out = wait({Millis(60'000), Millis(500)});

  EXPECT_EQ(out.result, WaitResult::SomeFailed);
  EXPECT_EQ(out.exit(), ExitCode::ReportMatched);
  ASSERT_EQ(out.tasks.size(), 3u);
  EXPECT_EQ(out.tasks[1].state, TaskState::Failed);
}

TEST_F(WaiterTest, TimesOutAtItsDeadlineWithTheUnresolvedOnes) {
  resolveAt(1, Millis(1'000), TaskState::Succeeded);
  auto out = wait({Millis(30'000), Millis(500)});

  EXPECT_EQ(out.result, WaitResult::TimedOut);
  EXPECT_EQ(out.exit(), ExitCode::TryLater);
  EXPECT_EQ(clock_.now(), start_ + Millis(30'000));
  EXPECT_EQ(out.tasks[0].state, TaskState::Succeeded);
  EXPECT_TRUE(isUnresolved(out.tasks[1].state));
}

TEST_F(WaiterTest, AsksItselfOnlyWhenItsTasksAreDueAndTheLockIsFree) {
  resolveAt(1, Millis(12'000), TaskState::Succeeded);
  resolveAt(2, Millis(12'000), TaskState::Succeeded);
  resolveAt(3, Millis(12'000), TaskState::Succeeded);
  auto out = wait({Millis(60'000), Millis(500)}, /*lock_free=*/true);

  EXPECT_EQ(out.result, WaitResult::AllSucceeded);
  // Asked at 0 s, 5 s and 10 s (each ask leaves them due 5 s later), never in between.
  EXPECT_EQ(asks_, 3);
  EXPECT_LE(clock_.now(), start_ + Millis(12'500));
}

TEST_F(WaiterTest, ATaskStillDueAfterAnAskIsNotAskedAgainAtOnce) {
  WaitPorts ports;
  ports.load = [this] { return tasks_; };  // never resolves, stays due
  ports.with_lock = [](const std::function<void()>& ask) {
    ask();
    return true;
  };
  ports.ask_due = [this](TimePoint) {
    ++asks_;
    return 0;
  };
  ports.sleep_until = [this](TimePoint t) { clock_.advanceTo(t); };
  Waiter w(clock_, ports, {Millis(10'000), Millis(500)});
  auto out = w.wait();

  EXPECT_EQ(out.result, WaitResult::TimedOut);
  EXPECT_LE(asks_, 20) << "at most one ask per poll, not a busy loop";
}

TEST_F(WaiterTest, ASignalThatStoppedAnAskEndsTheWait) {
  WaitPorts ports;
  ports.load = [this] { return tasks_; };
  ports.with_lock = [](const std::function<void()>& ask) {
    ask();
    return true;
  };
  ports.ask_due = [](TimePoint) { return SIGINT; };
  ports.sleep_until = [this](TimePoint t) { clock_.advanceTo(t); };
  Waiter w(clock_, ports, {Millis(60'000), Millis(500)});
  auto out = w.wait();

  EXPECT_EQ(out.result, WaitResult::Interrupted);
  EXPECT_EQ(out.exit(), ExitCode::Interrupted);
}

TEST_F(WaiterTest, ASignalEndsTheWaitAtItsNextLook) {
  WaitPorts ports;
  ports.load = [this] {
    if (clock_.now() >= start_ + Millis(3'000) && waiter_) waiter_->stop(SIGTERM);
    return tasks_;
  };
  ports.with_lock = [](const std::function<void()>&) { return false; };
  ports.ask_due = [](TimePoint) { return 0; };
  ports.sleep_until = [this](TimePoint t) { clock_.advanceTo(t); };
  Waiter w(clock_, ports, {Millis(60'000), Millis(500)});
  waiter_ = &w;
  auto out = w.wait();

  EXPECT_EQ(out.result, WaitResult::Terminated);
  EXPECT_EQ(out.exit(), ExitCode::Terminated);
  EXPECT_LT(clock_.now(), start_ + Millis(4'000));
}

}  // namespace
}  // namespace taskledger::scheduler
