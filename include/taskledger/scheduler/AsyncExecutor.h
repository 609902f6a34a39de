#pragma once
#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include "taskledger/domain/AsyncTaskStatusApi.h"
#include "taskledger/scheduler/Executor.h"

namespace taskledger::scheduler {

// Runs the scheduler's calls on its own thread: up to `capacity` at once through one
// AsyncTaskStatusApi, carried forward while the scheduler waits in takeResults(). A request is
// written when it is submitted (on an open connection), and one wake-up brings every answer
// that has arrived: no thread is woken to send, and none to pass an answer on.
class AsyncExecutor final : public Executor {
 public:
  AsyncExecutor(std::size_t capacity, std::unique_ptr<AsyncTaskStatusApi> api);

  std::size_t idle() const override;
  bool warmFor(const std::string& host) const override;
  void submit(Job job) override;
  std::vector<JobResult> takeResults(TimePoint deadline, Wake wake = Wake::OnResult) override;
  void interrupt() override;  // the only member that may be called from another thread

 private:
  std::size_t capacity_;
  std::unique_ptr<AsyncTaskStatusApi> api_;
  std::map<AsyncTaskStatusApi::CallId, Job> in_flight_;
  AsyncTaskStatusApi::CallId next_id_ = 1;
};

}  // namespace taskledger::scheduler
