// The worker pool on real threads with an API that answers at once: when a takeResults() wait
// ends. The scheduler relies on both kinds: OnResult to learn of an answer as it comes, AtDeadline
// to sleep until the limiter's next slot without a wake-up per answer.
#include "taskledger/scheduler/WorkerPool.h"

#include <gtest/gtest.h>

#include <chrono>

#include "support/SimulatedExecutor.h"

namespace taskledger::scheduler {
namespace {

using std::chrono::steady_clock;

class InstantApi final : public TaskStatusApi {
 public:
  CheckResult describeTaskStatus(const TaskQuery&) override { return testing::statusResult(0); }
};

Job jobFor(std::int64_t id) {
  Job job;
  job.task_id = id;
  job.host = "clb.ap-guangzhou.tencentcloudapi.com";
  return job;
}

TimePoint systemNowPlus(Millis d) {
  return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()) + d;
}

TEST(WorkerPool, OnResultReturnsWithTheFirstAnswer) {
  WorkerPool pool(2, [] { return std::make_unique<InstantApi>(); });
  pool.submit(jobFor(1));
  const auto started = steady_clock::now();
  std::vector<JobResult> got;
  while (got.empty() && steady_clock::now() - started < std::chrono::seconds(20)) {
    got = pool.takeResults(systemNowPlus(Millis(30'000)), Executor::Wake::OnResult);
  }
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].job.task_id, 1);
  EXPECT_LT(steady_clock::now() - started, std::chrono::seconds(20));  // not the 30 s deadline
}

TEST(WorkerPool, AtDeadlineSleepsThroughAnswersAndThenReturnsThemAll) {
  WorkerPool pool(2, [] { return std::make_unique<InstantApi>(); });
  pool.submit(jobFor(1));
  pool.submit(jobFor(2));
  const auto started = steady_clock::now();
  auto got = pool.takeResults(systemNowPlus(Millis(300)), Executor::Wake::AtDeadline);
  EXPECT_GE(steady_clock::now() - started, std::chrono::milliseconds(250));  // the answers did not end it
  EXPECT_EQ(got.size(), 2u);
  EXPECT_EQ(pool.idle(), 2u);
}

TEST(WorkerPool, InterruptEndsAnAtDeadlineWait) {
  WorkerPool pool(1, [] { return std::make_unique<InstantApi>(); });
  pool.interrupt();  // before the wait: it must not be lost
  const auto started = steady_clock::now();
  pool.takeResults(systemNowPlus(Millis(30'000)), Executor::Wake::AtDeadline);
  EXPECT_LT(steady_clock::now() - started, std::chrono::seconds(20));
}

TEST(WorkerPool, AWorkerThatServedAHostIsWarmForItOnceFree) {
  WorkerPool pool(2, [] { return std::make_unique<InstantApi>(); });
  const std::string guangzhou = jobFor(0).host, shanghai = "clb.ap-shanghai.tencentcloudapi.com";
  EXPECT_FALSE(pool.warmFor(guangzhou));
  pool.submit(jobFor(1));
  std::vector<JobResult> got;
  while (got.empty()) got = pool.takeResults(systemNowPlus(Millis(30'000)), Executor::Wake::OnResult);
  EXPECT_TRUE(pool.warmFor(guangzhou));
  EXPECT_FALSE(pool.warmFor(shanghai));
}

}  // namespace
}  // namespace taskledger::scheduler
