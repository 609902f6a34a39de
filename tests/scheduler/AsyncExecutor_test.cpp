// The executor over an AsyncTaskStatusApi: how much room it has, and that each answer comes back
// with the job it was for. (The waits themselves are the client's: HttpsApiClient_test.)
#include "taskledger/scheduler/AsyncExecutor.h"

#include <gtest/gtest.h>

#include <map>

#include "support/SimulatedExecutor.h"

namespace taskledger::scheduler {
namespace {

// Answers each call with its TaskId's length as the status, in reverse order of starting.
class ReversingApi final : public AsyncTaskStatusApi {
 public:
  void start(CallId id, const TaskQuery& query) override { started_.emplace_back(id, query); }
  std::vector<Done> wait(TimePoint, bool) override {
    std::vector<Done> out;
    for (auto it = started_.rbegin(); it != started_.rend(); ++it) {
      out.push_back({it->first, testing::statusResult(static_cast<int>(it->second.request_id.size()))});
    }
    started_.clear();
    return out;
  }
  void wake() override {}
  bool connectedTo(const std::string& host) const override { return host == "warm"; }

 private:
  std::vector<std::pair<CallId, TaskQuery>> started_;
};

Job jobFor(std::int64_t task, const std::string& request_id) {
  Job job;
  job.task_id = task;
  job.query = {"ap-guangzhou", request_id};
  job.host = "warm";
  return job;
}

TEST(AsyncExecutor, EachAnswerComesBackWithItsJobAndFreesItsRoom) {
  AsyncExecutor ex(3, std::make_unique<ReversingApi>());
  EXPECT_EQ(ex.idle(), 3u);
  ex.submit(jobFor(10, "a"));
  ex.submit(jobFor(20, "bb"));
  EXPECT_EQ(ex.idle(), 1u);
  EXPECT_TRUE(ex.warmFor("warm"));
  EXPECT_FALSE(ex.warmFor("cold"));
  ex.submit(jobFor(30, "c"));
  EXPECT_EQ(ex.idle(), 0u);
  EXPECT_FALSE(ex.warmFor("warm"));  // no room: nothing can go now, warm or not

  std::map<std::int64_t, int> status_by_task;
  for (const auto& r : ex.takeResults(TimePoint{}, Executor::Wake::OnResult)) {
    status_by_task[r.job.task_id] = r.result.answer().status;
  }
  EXPECT_EQ(status_by_task, (std::map<std::int64_t, int>{{10, 1}, {20, 2}, {30, 1}}));
  EXPECT_EQ(ex.idle(), 3u);
}

}  // namespace
}  // namespace taskledger::scheduler
